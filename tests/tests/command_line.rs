//! The `slotwise` commands that start a practice and its staff, run as the binary: a new
//! practice, its first owner (with a generated password that then signs in), a refused second
//! account with the same email, API keys with a role (owner unless told), and the demo's
//! printed console login.

use std::process::{Command, Output};

fn slotwise(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_slotwise-cli"))
        .args(args)
        .env_remove("SLOTWISE_STAFF_PASSWORD")
        .output()
        .expect("run slotwise")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_practice_gets_its_owner_and_the_demo_prints_its_logins() {
    let dir = std::env::temp_dir().join(format!("slotwise-staff-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let url = format!("sqlite://{}", dir.join("cli.db").display());
    let db = ["--database-url", url.as_str()];

    let made = slotwise(
        &[
            &["practice", "create"][..],
            &db,
            &[
                "--slug",
                "riverside",
                "--name",
                "Riverside Vets",
                "--timezone",
                "America/Chicago",
            ],
        ]
        .concat(),
    );
    assert!(made.status.success(), "{made:?}");
    let bad = slotwise(
        &[
            &["practice", "create"][..],
            &db,
            &["--slug", "Bad Slug", "--name", "X", "--timezone", "UTC"],
        ]
        .concat(),
    );
    assert!(!bad.status.success(), "a slug with spaces is refused");

    let owner = slotwise(
        &[
            &["staff", "create"][..],
            &db,
            &[
                "--practice",
                "riverside",
                "--email",
                "Rita@Riverside.example",
                "--name",
                "Rita Vet",
            ],
        ]
        .concat(),
    );
    assert!(owner.status.success(), "{owner:?}");
    let out = stdout(&owner);
    let password = out
        .lines()
        .find_map(|l| l.strip_prefix("Password (shown once): "))
        .expect("a generated password is printed")
        .to_string();
    let again = slotwise(
        &[
            &["staff", "create"][..],
            &db,
            &[
                "--practice",
                "riverside",
                "--email",
                "rita@riverside.example",
                "--name",
                "Rita",
            ],
        ]
        .concat(),
    );
    assert!(!again.status.success(), "the same email twice is refused");

    // API keys: owners by default (as every key made before roles), or the role asked for.
    for (label, role) in [("reports", None), ("desk tablet", Some("front_desk"))] {
        let mut args = vec![
            "api-key",
            "--database-url",
            url.as_str(),
            "--practice",
            "riverside",
        ];
        args.extend(["--label", label]);
        if let Some(role) = role {
            args.extend(["--role", role]);
        }
        let key = slotwise(&args);
        assert!(key.status.success(), "{key:?}");
        assert!(
            stdout(&key).trim().starts_with("sw_"),
            "the key is printed once"
        );
    }
    let bad_role = slotwise(
        &[
            &["api-key"][..],
            &db,
            &["--practice", "riverside", "--role", "boss"],
        ]
        .concat(),
    );
    assert!(!bad_role.status.success(), "unknown roles are refused");

    let pool = slotwise_server::store::db::Db::connect(&url)
        .await
        .expect("db");
    let (hash, role): (String, String) = sqlx::query_as(
        "SELECT password_hash, role FROM staff_users WHERE email = 'rita@riverside.example'",
    )
    .fetch_one(&pool.read)
    .await
    .expect("account");
    assert_eq!(role, "owner");
    assert!(slotwise_server::staff::passwords::verify_password(
        &password, &hash
    ));
    let locations: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM locations")
        .fetch_one(&pool.read)
        .await
        .expect("count");
    assert_eq!(locations, 1, "a new practice starts with one location");
    let keys: Vec<(String, String)> =
        sqlx::query_as("SELECT label, role FROM api_keys ORDER BY id")
            .fetch_all(&pool.read)
            .await
            .expect("keys");
    assert_eq!(
        keys,
        [
            ("reports".into(), "owner".into()),
            ("desk tablet".into(), "front_desk".into())
        ]
    );
    pool.close().await;

    let demo = slotwise(&[&["demo"][..], &db].concat());
    assert!(demo.status.success(), "{demo:?}");
    assert!(
        stdout(&demo).contains("Staff console login: owner@brightside.example / brightside-demo"),
        "{}",
        stdout(&demo)
    );
    let _ = std::fs::remove_dir_all(dir);
}
