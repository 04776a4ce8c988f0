//! The console's frame: sign-in, the navigation in the order a practice sets up, and the
//! screen shown (kept in the address's `#fragment` so a reload stays put).

use crate::ctx::Ctx;
use crate::delivery_notice::DeliveryNotice;
use crate::loading::Loading;
use crate::screens::{
    appointments::Appointments, booking_queue::BookingQueue, broadcasts::Broadcasts,
    dashboard::DashboardScreen, failed_messages::FailedMessages, follow_ups::FollowUps,
    insurance::Insurance, login::Login, practice_system::PracticeSystem,
    procedure_templates::ProcedureTemplates, procedures::Procedures, providers::Providers,
    reasons::Reasons, recall::Recall, schedule::Schedule, team::Team, templates::Templates,
    waitlist::Waitlist, widget_settings::WidgetSettings,
};
use crate::setup::provide_setup_read;
use leptos::prelude::*;
use leptos::task::spawn_local;
use slotwise_shared::admin::StaffRole;

/// The screens, in the order of the navigation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Screen {
    Providers,
    Reasons,
    ProcedureTemplates,
    Insurance,
    Templates,
    Widget,
    Team,
    Schedule,
    Appointments,
    Queue,
    Procedures,
    Waitlist,
    Messages,
    PracticeSystem,
    Dashboard,
    Recall,
    FollowUps,
    Broadcasts,
}

const SETUP: [(Screen, &str, &str); 7] = [
    (Screen::Providers, "providers", "Providers"),
    (Screen::Reasons, "reasons", "Reasons for visit"),
    (
        Screen::ProcedureTemplates,
        "procedure-templates",
        "Procedure templates",
    ),
    (Screen::Insurance, "insurance", "Insurance"),
    (Screen::Templates, "templates", "Message templates"),
    (Screen::Widget, "widget", "Widget & embed code"),
    (Screen::Team, "team", "Team & audit log"),
];
const FRONT_DESK: [(Screen, &str, &str); 8] = [
    (Screen::Schedule, "schedule", "Schedule"),
    (Screen::Appointments, "appointments", "Appointments"),
    (Screen::Queue, "queue", "Booking queue"),
    (Screen::Procedures, "procedures", "Procedures"),
    (Screen::Waitlist, "waitlist", "Waitlist"),
    (Screen::Messages, "messages", "Failed messages"),
    (Screen::PracticeSystem, "practice-system", "Practice system"),
    (Screen::Dashboard, "dashboard", "Dashboard"),
];
const AUTOMATIONS: [(Screen, &str, &str); 3] = [
    (Screen::Recall, "recall", "Recall"),
    (Screen::FollowUps, "follow-ups", "Follow-ups"),
    (Screen::Broadcasts, "broadcasts", "Broadcasts"),
];

fn screen_of_hash(hash: &str, role: StaffRole) -> Screen {
    let key = hash.trim_start_matches('#').trim_start_matches('/');
    SETUP
        .iter()
        .chain(FRONT_DESK.iter())
        .chain(AUTOMATIONS.iter())
        .find(|(_, k, _)| *k == key)
        .map(|(s, _, _)| *s)
        .unwrap_or(if role >= StaffRole::Admin {
            Screen::Providers
        } else {
            Screen::Appointments
        })
}

fn set_hash(key: &str) {
    if let Some(w) = web_sys::window() {
        let _ = w.location().set_hash(&format!("/{key}"));
    }
}

/// The whole console.
#[component]
pub fn App() -> impl IntoView {
    let ctx = Ctx::new();
    provide_context(ctx);
    // A session still open from an earlier visit skips the sign-in. Not `loading::resource`:
    // its 401 is the ordinary answer when nobody is signed in, not a session that ended.
    let resumed = LocalResource::new(move || {
        let api = ctx.api();
        async move {
            if let Ok(session) = api.session().await {
                ctx.session.set(Some(session));
            }
        }
    });
    // Only signing in or out swaps the page; other session updates (a new practice name) don't.
    let signed_in = Memo::new(move |_| ctx.session.with(Option::is_some));
    view! {
        {move || {
            if resumed.get().is_none() {
                view! { <Loading text="Loading the console…" /> }.into_any()
            } else if !signed_in.get() {
                view! { <Login /> }.into_any()
            } else {
                view! { <Shell /> }.into_any()
            }
        }}
    }
}

#[component]
fn Shell() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let role = ctx
        .session
        .with_untracked(|s| s.as_ref().map(|s| s.staff.role))
        .unwrap_or(StaffRole::FrontDesk);
    let hash = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    let screen = RwSignal::new(screen_of_hash(&hash, role));
    provide_setup_read(ctx);
    let sign_out = move |_| {
        spawn_local(async move {
            let _ = ctx.api().logout().await;
            ctx.session.set(None);
            ctx.setup.set(None);
        });
    };
    let link = move |(target, key, label): (Screen, &'static str, &'static str)| {
        view! {
            <li>
                <a href=format!("#/{key}")
                    aria-current=move || (screen.get() == target).then_some("page")
                    on:click=move |ev| {
                        ev.prevent_default();
                        ctx.notice.set(None);
                        set_hash(key);
                        screen.set(target);
                    }>{label}</a>
            </li>
        }
    };
    let who = ctx.session.with_untracked(|s| {
        s.as_ref()
            .map(|s| {
                (
                    s.practice_name.clone(),
                    format!("{} · {}", s.staff.name, s.staff.role.label()),
                )
            })
            .unwrap_or_default()
    });
    view! {
        <div class="shell">
            <header class="top">
                <span class="brand">"Slotwise"</span>
                <span class="practice">{move || ctx.session.with(|s| s.as_ref().map(|s| s.practice_name.clone()))}</span>
                <span class="who">{who.1}</span>
                <button class="secondary" on:click=sign_out>"Sign out"</button>
            </header>
            <nav aria-label="Console">
                {(role >= StaffRole::Admin).then(|| view! {
                    <p class="nav-group">"Set up"</p>
                    <ul>{SETUP.into_iter().map(link).collect_view()}</ul>
                })}
                <p class="nav-group">"Front desk"</p>
                <ul>{FRONT_DESK.into_iter().map(link).collect_view()}</ul>
                <p class="nav-group">"Automations"</p>
                <ul>{AUTOMATIONS.into_iter().map(link).collect_view()}</ul>
            </nav>
            <main>
                <DeliveryNotice />
                {move || ctx.notice.get().map(|n| view! {
                    <div class=if n.error { "notice error" } else { "notice ok" } role=if n.error { "alert" } else { "status" }>
                        {n.text}
                        <button class="link" aria-label="Dismiss" on:click=move |_| ctx.notice.set(None)>"×"</button>
                    </div>
                })}
                {move || match screen.get() {
                    Screen::Providers => view! { <Providers /> }.into_any(),
                    Screen::Reasons => view! { <Reasons /> }.into_any(),
                    Screen::ProcedureTemplates => view! { <ProcedureTemplates /> }.into_any(),
                    Screen::Insurance => view! { <Insurance /> }.into_any(),
                    Screen::Templates => view! { <Templates /> }.into_any(),
                    Screen::Widget => view! { <WidgetSettings /> }.into_any(),
                    Screen::Team => view! { <Team /> }.into_any(),
                    Screen::Schedule => view! { <Schedule /> }.into_any(),
                    Screen::Appointments => view! { <Appointments /> }.into_any(),
                    Screen::Queue => view! { <BookingQueue /> }.into_any(),
                    Screen::Procedures => view! { <Procedures /> }.into_any(),
                    Screen::Waitlist => view! { <Waitlist /> }.into_any(),
                    Screen::Messages => view! { <FailedMessages /> }.into_any(),
                    Screen::PracticeSystem => view! { <PracticeSystem /> }.into_any(),
                    Screen::Dashboard => view! { <DashboardScreen /> }.into_any(),
                    Screen::Recall => view! { <Recall /> }.into_any(),
                    Screen::FollowUps => view! { <FollowUps /> }.into_any(),
                    Screen::Broadcasts => view! { <Broadcasts /> }.into_any(),
                }}
            </main>
        </div>
    }
}
