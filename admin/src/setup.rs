//! The read of the practice's setup (providers, reasons, carriers, locations): once per
//! sign-in, by the shell. The setup itself is [`Ctx::setup`], because every setup change
//! answers with the whole new setup and replaces it there without reading it again.

use crate::ctx::Ctx;
use crate::loading::{resource, Fetched};
use leptos::prelude::*;

/// The read of the setup, for the screens that list it and so show its loading and error
/// states; its value only says that [`Ctx::setup`] is filled.
#[derive(Clone, Copy)]
struct SetupRead(LocalResource<Fetched<()>>);

/// Starts reading the setup and offers the read to the screens below.
pub fn provide_setup_read(ctx: Ctx) {
    let read = resource(ctx, move |api| async move {
        let setup = api.setup().await?;
        ctx.setup.set(Some(setup));
        Ok(())
    });
    provide_context(SetupRead(read));
}

/// The read of the setup (inside the shell, which provides it).
pub fn setup_read() -> LocalResource<Fetched<()>> {
    expect_context::<SetupRead>().0
}
