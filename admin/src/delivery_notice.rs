//! A plain warning on every screen while messages reach no patient: a channel that is on but
//! goes through the local transport keeps its messages here and sends nothing, and a new
//! practice would otherwise believe its "sent" confirmations arrived.

use crate::ctx::Ctx;
use crate::loading::resource;
use leptos::prelude::*;
use slotwise_shared::messages::MessagingSettings;

/// The channels that are on but deliver to no one ("SMS", "Email", …).
fn undelivered(settings: &MessagingSettings) -> Vec<&'static str> {
    settings
        .channels
        .iter()
        .filter(|c| c.enabled && c.config["transport"] == "local")
        .map(|c| c.channel.label())
        .collect()
}

/// The warning, shown only when some channel delivers to no one.
#[component]
pub fn DeliveryNotice() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let settings = resource(ctx, |api| async move { api.messaging().await });
    move || {
        let channels = settings
            .get()
            .and_then(Result::ok)
            .map(|s| undelivered(&s))
            .unwrap_or_default();
        (!channels.is_empty()).then(|| {
            view! {
                <aside class="delivery-warning" aria-label="Message delivery" data-testid="delivery-warning">
                    <strong>"Messages are not reaching patients. "</strong>
                    {format!(
                        "{} {} the built-in local transport, which keeps messages here and sends nothing. \
                         Set up Twilio, WhatsApp or an SMTP server before patients book.",
                        channels.join(" and "),
                        if channels.len() == 1 { "uses" } else { "use" }
                    )}
                </aside>
            }
        })
    }
}
