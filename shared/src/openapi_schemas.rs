//! Schemas of the OpenAPI document that a derive cannot say: fields that take either a value
//! of a format or an empty string meaning "any" (or the default).

use utoipa::openapi::schema::{
    AnyOfBuilder, ArrayBuilder, KnownFormat, ObjectBuilder, SchemaFormat, Type,
};
use utoipa::openapi::{RefOr, Schema};

/// A local date `YYYY-MM-DD`, or empty for the default.
pub fn date_or_empty() -> RefOr<Schema> {
    AnyOfBuilder::new()
        .item(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date))),
        )
        .item(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .max_length(Some(0)),
        )
        .into()
}

/// An appointment status, or empty for any (or the default the operation names).
pub fn appointment_status_or_empty() -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some([
            "",
            "booked",
            "confirmed",
            "completed",
            "cancelled",
            "no_show",
        ]))
        .into()
}

/// How an appointment was booked, or empty for any.
pub fn booking_source_or_empty() -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some([
            "",
            "widget",
            "direct_link",
            "recall",
            "staff",
            "phone",
        ]))
        .into()
}

/// Up to five reminder offsets, each from 15 minutes to 60 days (in minutes).
pub fn reminder_offsets() -> RefOr<Schema> {
    ArrayBuilder::new()
        .items(
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
                .minimum(Some(15))
                .maximum(Some(60 * 24 * 60)),
        )
        .max_items(Some(5))
        .into()
}

/// The three no-show delays in hours, each from 1 to 1,440 (growing).
pub fn no_show_delays() -> RefOr<Schema> {
    ArrayBuilder::new()
        .items(
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int32)))
                .minimum(Some(1))
                .maximum(Some(1440)),
        )
        .min_items(Some(3))
        .max_items(Some(3))
        .into()
}
