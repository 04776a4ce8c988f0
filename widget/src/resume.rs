//! Handing over between the two widget modules. The loader starts with the first-steps module
//! (the questions and the times); when the patient reaches a step it does not have (their
//! details after holding a time, or the request form), it passes the choices made and the time
//! held to the loader, which mounts the full module in its place, resumed at that step.

use crate::ctx::{Ctx, Held};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use slotwise_shared::api::SlotOption;
use slotwise_shared::booking_flow::Flow;
use slotwise_shared::procedures::ProcedureOffer;

/// What the full module needs to carry on where the first-steps module stopped.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Resume {
    pub flow: Flow,
    pub held: Option<Held>,
    /// The language the patient was reading (they may have switched): the loader gives the
    /// full module the practice's settings in it.
    #[serde(default)]
    pub lang: Option<String>,
    /// The procedure chosen, and every visit of its held chain.
    #[serde(default)]
    pub procedure: Option<ProcedureOffer>,
    #[serde(default)]
    pub chain: Option<Vec<SlotOption>>,
}

impl Resume {
    /// The hand-over the loader passed to `mount`, if there is one and it parses.
    #[cfg(feature = "later-steps")]
    pub fn parse(json: Option<String>) -> Option<Resume> {
        serde_json::from_str(&json?).ok()
    }

    /// The first-steps module is never handed over to.
    #[cfg(not(feature = "later-steps"))]
    pub fn parse(_json: Option<String>) -> Option<Resume> {
        None
    }
}

/// Shown by the first-steps module at a step only the full module has: asks the loader to
/// hand over, and says it is loading meanwhile.
#[cfg_attr(feature = "later-steps", allow(dead_code))]
#[component]
pub fn HandOff() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let state = Resume {
        flow: ctx.flow.get_untracked(),
        held: ctx.held.get_untracked(),
        lang: Some(ctx.language.get_untracked()),
        procedure: ctx.procedure.get_untracked(),
        chain: ctx.chain.get_untracked(),
    };
    let handed = ctx.hand_off.with_value(|hook| {
        let hook = hook.as_ref()?;
        let json = serde_json::to_string(&state).ok()?;
        hook.call1(&wasm_bindgen::JsValue::NULL, &json.into()).ok()
    });
    if handed.is_none() {
        web_sys::console::error_1(&"slotwise: this step needs the full widget module".into());
    }
    view! {
        <div class="sw-loading" role="status"><span class="sw-spinner"></span>{ctx.t("widget.loading")}</div>
    }
}
