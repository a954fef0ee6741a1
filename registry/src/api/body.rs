//! Request bodies: read only once the caller is known, each route with a
//! limit sized to what it carries, JSON that names the field it refuses.
//!
//! A handler lists who calls it first ([`super::supervisor::Supervisor`],
//! [`super::device::SignedBy`]: both read headers only) and its body last
//! ([`Raw`], [`JsonBody`]); axum runs extractors in that order, so an
//! unauthenticated caller is answered before one byte of its body is read.
//! A body over its route's limit is refused with 413 `too_large` (at once
//! when `Content-Length` says so, otherwise as soon as the limit is passed).
//! JSON bodies refuse unknown fields (`deny_unknown_fields` on every request
//! type) and duplicate keys, and the error names the field's path. The
//! limits and why they suit a 2G device are in `docs/registry-limits.md`.

use crate::error::ApiErr;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{header, StatusCode};
use http_body_util::{BodyExt, LengthLimitError, Limited};
use komek_core::sync::codes;
use komek_core::validate::text::control_character;
pub use komek_core::validate::text::Lines;
use serde::de::DeserializeOwned;

/// Login, enrolment, enrolment codes, decisions: a few short fields (a
/// comment of at most [`MAX_COMMENT_BYTES`] even with every character
/// `\u`-escaped fits).
pub const SMALL_JSON_BYTES: usize = 16 * 1024;
/// Publishing a rule pack: the pack's TOML in base64 (the national pack is
/// 16 KiB today; a pack of up to ~700 KiB fits).
pub const PACK_BODY_BYTES: usize = 1024 * 1024;
/// A push: the largest frame of [`komek_core::sync::wire::MAX_OPS_PER_PUSH`]
/// operations (only read once the device's headers name an enrolled device).
pub const PUSH_BODY_BYTES: usize = komek_core::sync::wire::MAX_PUSH_BYTES;
/// An offline bundle (only read once the supervisor's token is checked).
pub const BUNDLE_BODY_BYTES: usize = komek_core::sync::bundle::MAX_BUNDLE_BYTES;
/// The longest supervisor comment, in bytes of UTF-8 (about 2,000 Cyrillic
/// letters); sealed, it stays far below the pull page's 64 KiB per comment.
pub const MAX_COMMENT_BYTES: usize = 4096;
/// The longest supervisor name and password at login, in bytes.
pub const MAX_NAME_BYTES: usize = 64;
pub const MAX_PASSWORD_BYTES: usize = 1024;
/// The longest enrolment code a device may send (codes are 11 characters).
pub const MAX_CODE_BYTES: usize = 64;

fn too_large(limit: usize) -> ApiErr {
    ApiErr::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        codes::TOO_LARGE,
        format!("the request body is over this endpoint's limit of {limit} bytes"),
    )
}

/// Read a body of at most `limit` bytes.
async fn read(req: Request, limit: usize) -> Result<Bytes, ApiErr> {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(too_large(limit));
    }
    match Limited::new(req.into_body(), limit).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(e) if e.is::<LengthLimitError>() => Err(too_large(limit)),
        Err(_) => Err(ApiErr::bad_request("the request body could not be read")),
    }
}

/// A raw body of at most `LIMIT` bytes.
pub struct Raw<const LIMIT: usize>(pub Bytes);

impl<S: Send + Sync, const LIMIT: usize> FromRequest<S> for Raw<LIMIT> {
    type Rejection = ApiErr;

    async fn from_request(req: Request, _state: &S) -> Result<Self, ApiErr> {
        read(req, LIMIT).await.map(Raw)
    }
}

/// A JSON body of at most `LIMIT` bytes; an empty body reads as `{}` (so a
/// body with only optional fields may be left out).
pub struct JsonBody<T, const LIMIT: usize = SMALL_JSON_BYTES>(pub T);

impl<S: Send + Sync, T: DeserializeOwned, const LIMIT: usize> FromRequest<S>
    for JsonBody<T, LIMIT>
{
    type Rejection = ApiErr;

    async fn from_request(req: Request, _state: &S) -> Result<Self, ApiErr> {
        let bytes = read(req, LIMIT).await?;
        parse(&bytes).map(JsonBody)
    }
}

/// Parse a JSON request body. Refusals name the field's path and the kind
/// of fault, never the value (it may be personal data): `unknown field
/// `centr`` (with the fields expected), `missing field`, `duplicate field`,
/// or `field `comment`: invalid type`.
///
/// Every request body is a JSON object: serde would also read a struct from
/// an array of its fields in order (`[]` as "all defaults"), so anything
/// else at the top level is refused first.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiErr> {
    let bytes: &[u8] = if bytes.is_empty() { b"{}" } else { bytes };
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    if first != Some(&b'{') {
        return Err(ApiErr::bad_request("the body must be a JSON object"));
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        refusal(&path, e.inner())
    })?;
    de.end().map_err(|e| refusal(".", &e))?;
    Ok(value)
}

fn refusal(path: &str, e: &serde_json::Error) -> ApiErr {
    use serde_json::error::Category;
    let text = e.to_string();
    // serde's messages for these name a field, never a value.
    let names_field = ["unknown field", "missing field", "duplicate field"]
        .iter()
        .any(|p| text.starts_with(p));
    let message = match e.classify() {
        Category::Data if names_field => {
            let what = text.split(" at line ").next().unwrap_or(&text);
            if path == "." {
                what.to_string()
            } else {
                format!("{what} (in `{path}`)")
            }
        }
        Category::Data => format!("field `{path}`: wrong type or value"),
        Category::Syntax | Category::Eof | Category::Io => format!(
            "not valid JSON: {:?} error at line {} column {}",
            e.classify(),
            e.line(),
            e.column()
        ),
    };
    ApiErr::bad_request(message)
}

/// A text field within `max` bytes, or a 400 naming `field`.
pub fn bounded(field: &str, value: &str, max: usize) -> Result<(), ApiErr> {
    if value.len() > max {
        return Err(ApiErr::bad_request(format!(
            "{field} is longer than {max} bytes"
        )));
    }
    Ok(())
}

/// Free text that people will read (a comment, a name, a device label):
/// within `max` bytes and free of control characters (terminal escapes,
/// bidirectional overrides; line breaks only where `lines` allows them), the
/// same rule the device applies to its forms
/// ([`komek_core::validate::text::control_character`]). The 400 names the
/// field and the character's position, never the text.
pub fn free_text(field: &str, value: &str, max: usize, lines: Lines) -> Result<(), ApiErr> {
    bounded(field, value, max)?;
    match control_character(value, lines) {
        Some(at) => Err(ApiErr::bad_request(format!(
            "{field} holds a control character (character {}); remove it",
            at + 1
        ))),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Req {
        centre: String,
        #[serde(default)]
        inner: Option<Inner>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        n: u32,
    }

    #[test]
    fn free_text_refuses_terminal_escapes_and_names_the_field() {
        assert!(free_text("label", "Tablet 3", 200, Lines::One).is_ok());
        assert!(free_text("comment", "line one\nline two", 4096, Lines::Many).is_ok());
        for bad in ["\u{1b}[2J", "a\u{7}b", "x\u{202e}y", "one\ntwo"] {
            let err = free_text("label", bad, 200, Lines::One).unwrap_err();
            assert!(err.message.contains("label"), "{bad:?}");
            assert!(!err.message.contains(bad), "the text is not echoed");
        }
        assert!(free_text("comment", "\u{1b}]0;owned\u{7}", 4096, Lines::Many).is_err());
    }

    fn message(body: &str) -> String {
        parse::<Req>(body.as_bytes()).unwrap_err().message
    }

    #[test]
    fn refusals_name_the_field_and_never_the_value() {
        assert!(parse::<Req>(br#"{"centre":"x"}"#).is_ok());
        let m = message(r#"{"center":"North"}"#);
        assert!(m.contains("unknown field `center`"), "{m}");
        assert!(m.contains("centre"), "{m}");
        assert!(!m.contains("North"), "{m}");
        assert!(message("").contains("missing field `centre`"));
        assert!(message(r#"{"centre":"a","centre":"b"}"#).contains("duplicate field `centre`"));
        let m = message(r#"{"centre":"a","inner":{"n":"Aigul Serikovna"}}"#);
        assert_eq!(m, "field `inner.n`: wrong type or value");
        let m = message(r#"{"centre":"a","inner":{"m":1}}"#);
        assert!(
            m.contains("unknown field `m`") && m.contains("inner"),
            "{m}"
        );
        assert!(message(r#"{"centre":"a"} x"#).starts_with("not valid JSON"));
        assert!(message("{").starts_with("not valid JSON"));
        for not_object in ["[]", "[\"a\"]", "\"x\"", "null", "1"] {
            assert_eq!(message(not_object), "the body must be a JSON object");
        }
        assert!(parse::<Req>(b" \n{\"centre\":\"x\"}").is_ok());
    }
}
