//! Staff accounts: passwords (Argon2id), sign-in with lockout, server-side sessions with a
//! CSRF token, disabling and enabling accounts, and the audit log of what staff change.

pub mod accounts;
pub mod decoy_lockouts;
pub mod passwords;
pub mod sign_in;
pub mod team;
