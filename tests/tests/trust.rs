//! The promises held against hostile input: templates that try to take the server down,
//! outbound integrations pointed inside the network, secrets sent to a new host.

use crate::common::staff::signed_in;
use crate::db_test;
use slotwise_shared::admin::StaffRole;
use slotwise_shared::messages::TemplateUpdate;
use std::time::{Duration, Instant};

/// A 60⁴ loop over a list literal that writes nothing: 13 million iterations if the engine
/// let it run.
fn nested_loop_template() -> String {
    let list: Vec<String> = (0..60).map(|i| i.to_string()).collect();
    let list = format!("[{}]", list.join(","));
    format!(
        "{{% for a in {list} %}}{{% for b in {list} %}}{{% for c in {list} %}}{{% for d in {list} %}}{{% if d %}}{{% endif %}}{{% endfor %}}{{% endfor %}}{{% endfor %}}{{% endfor %}}"
    )
}

db_test! {
    async fn a_template_that_loops_without_end_is_refused_and_the_server_stays_responsive(app) {
        let admin = signed_in(app, "demo", StaffRole::Admin).await;
        let hostile = TemplateUpdate { subject: String::new(), body: nested_loop_template() };
        let http = reqwest::Client::new();
        let health = format!("{}/healthz", app.server.url());
        let (preview, save, healthz) = tokio::join!(
            admin.preview_template("reminder", "sms", &hostile),
            admin.save_template("reminder", "sms", &hostile),
            async {
                // While the template is being judged, the server still answers at once.
                let started = Instant::now();
                let answer = http.get(&health).send().await.expect("healthz");
                (answer.status().as_u16(), started.elapsed())
            },
        );
        for (what, result) in [("preview", preview.map(drop)), ("save", save.map(drop))] {
            let err = result.expect_err(what);
            assert_eq!(err.status(), Some(422), "{what}: {err}");
            let fields = err.body().and_then(|b| b.fields.clone()).expect("fields");
            assert!(fields["body"].contains("too much work"), "{what}: {fields:?}");
        }
        assert_eq!(healthz.0, 200);
        assert!(healthz.1 < Duration::from_secs(5), "healthz took {:?}", healthz.1);

        for (body, why) in [
            ("{{ 'x' * 100000000 }}", "Arithmetic"),
            ("{% set ns = namespace(s='x') %}{{ date }}", "namespace"),
            ("{% macro f() %}{% endmacro %}{{ date }}", "macro"),
        ] {
            let t = TemplateUpdate { subject: String::new(), body: body.into() };
            let err = admin.preview_template("reminder", "sms", &t).await.expect_err(body);
            assert_eq!(err.status(), Some(422), "{body}: {err}");
            let fields = err.body().and_then(|b| b.fields.clone()).expect("fields");
            assert!(fields["body"].contains(why), "{body}: {fields:?}");
        }
        let huge = TemplateUpdate {
            subject: String::new(),
            body: format!("{{% for a in [{}] %}}{}{{% endfor %}}", vec!["1"; 150].join(","), "y".repeat(200)),
        };
        let err = admin.preview_template("reminder", "sms", &huge).await.expect_err("output cap");
        assert_eq!(err.status(), Some(422), "{err}");
        let fields = err.body().and_then(|b| b.fields.clone()).expect("fields");
        assert!(fields["body"].contains("characters"), "{fields:?}");
    }
}
