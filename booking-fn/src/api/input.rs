//! Request bodies: JSON or `application/x-www-form-urlencoded`, read into
//! one flat map of fields; nothing else is accepted. Also the origin check.

use axum::body::Body;
use axum::http::{HeaderMap, header};

use crate::{Code, Error, Msg, Result};

/// The fields of one request: form-encoded pairs or a flattened JSON object.
pub(crate) type Fields = std::collections::BTreeMap<String, String>;

/// Room for everything but the long free-text fields: names, phone,
/// choices, hidden fields, and their URL-encoding.
pub const BODY_LIMIT: usize = 16 * 1024;
/// The most bytes one character can take in a body: a 4-byte UTF-8
/// character written as `%XX` escapes (Hangul takes 9).
const BYTES_PER_CHAR: usize = 12;
const MAX_FIELDS: usize = 200;

/// The largest body accepted with `catalog`: [`BODY_LIMIT`] plus room for
/// the longest form of the catalog filled to every field's `max_length`
/// (policy forms and survey comments), so a form filled as it allows is
/// never refused for its size.
pub fn body_limit(catalog: &sbiz_catalog::Catalog) -> usize {
    use sbiz_catalog::{FieldKind, QuestionKind};
    let policy = catalog
        .policies
        .iter()
        .filter_map(|p| p.form.as_ref())
        .map(|form| {
            form.iter()
                .map(|f| match &f.kind {
                    FieldKind::Text { max_length } | FieldKind::Textarea { max_length } => {
                        *max_length as usize
                    }
                    _ => 0,
                })
                .sum::<usize>()
        });
    let survey = catalog.surveys.iter().map(|s| {
        s.questions
            .iter()
            .map(|q| match &q.kind {
                QuestionKind::Text { max_length } => *max_length as usize,
                _ => 0,
            })
            .sum::<usize>()
    });
    let longest = policy.chain(survey).max().unwrap_or(0);
    BODY_LIMIT.saturating_add(longest.saturating_mul(BYTES_PER_CHAR))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    Json,
    Form,
    Empty,
}

pub struct Input {
    pub kind: BodyKind,
    fields: Fields,
    /// For a form body larger than the limit: the field that made it so
    /// (the longest one read); `fields` then holds what fitted.
    oversized: Option<String>,
}

impl Input {
    /// The fields of a whole body, or `payload_too_large` naming the field
    /// that made it too large.
    pub fn fields(&self) -> Result<&Fields> {
        match &self.oversized {
            None => Ok(&self.fields),
            Some(field) => Err(Error::Rejected {
                code: Code::PayloadTooLarge,
                message: Msg::Code(Code::PayloadTooLarge),
                fields: crate::FieldErrors::from([(field.clone(), Msg::InputTooLong)]),
            }),
        }
    }

    /// What was sent, to show the form again with it (also when the body
    /// was too large: then what fitted).
    pub fn values(&self) -> Fields {
        self.fields.clone()
    }

    /// What was sent, as [`Self::values`], without a copy.
    pub fn sent(&self) -> &Fields {
        &self.fields
    }
}

fn media_type(headers: &HeaderMap) -> Option<String> {
    let v = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    Some(
        v.split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase(),
    )
}

pub fn is_form(headers: &HeaderMap) -> bool {
    media_type(headers).as_deref() == Some("application/x-www-form-urlencoded")
}

/// Reads a body of at most `limit` bytes ([`body_limit`]). A larger form
/// body is read up to the limit only and comes back with what fitted and the
/// field that overflowed ([`Input::fields`] refuses it), so that the form can
/// be shown again with the field named and the text kept.
pub async fn read(headers: &HeaderMap, body: Body, limit: usize) -> Result<Input> {
    let kind = match media_type(headers).as_deref() {
        Some("application/json") => BodyKind::Json,
        Some("application/x-www-form-urlencoded") => BodyKind::Form,
        None => BodyKind::Empty,
        Some(_) => return Err(Error::new(Code::UnsupportedMediaType)),
    };
    let (bytes, whole) = read_up_to(body, limit).await?;
    if !whole {
        if kind != BodyKind::Form {
            return Err(Error::new(Code::PayloadTooLarge));
        }
        let (fields, oversized) = form_prefix(&bytes);
        return Ok(Input {
            kind,
            fields,
            oversized: Some(oversized),
        });
    }
    let fields = match kind {
        BodyKind::Empty if bytes.is_empty() => Fields::new(),
        BodyKind::Empty => return Err(Error::new(Code::UnsupportedMediaType)),
        BodyKind::Form => {
            let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes)
                .map_err(|_| Error::rejected(Code::InvalidInput, Msg::FormUnreadable))?;
            pairs.into_iter().collect()
        }
        BodyKind::Json => {
            let value: serde_json::Value = serde_json::from_slice(&bytes)
                .map_err(|_| Error::rejected(Code::InvalidInput, Msg::JsonUnreadable))?;
            flatten_json(value)?
        }
    };
    if fields.len() > MAX_FIELDS {
        return Err(Error::rejected(Code::InvalidInput, Msg::TooManyFields));
    }
    Ok(Input {
        kind,
        fields,
        oversized: None,
    })
}

/// The first `limit` bytes of a body, and whether that was all of it. Stops
/// reading as soon as the limit is passed.
async fn read_up_to(body: Body, limit: usize) -> Result<(Vec<u8>, bool)> {
    use http_body_util::BodyExt;
    let mut body = body;
    let mut out = Vec::new();
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|_| Error::rejected(Code::InvalidInput, Msg::BodyCutShort))?;
        if let Ok(data) = frame.into_data() {
            out.extend_from_slice(&data);
            if out.len() > limit {
                out.truncate(limit);
                return Ok((out, false));
            }
        }
    }
    Ok((out, true))
}

/// The pairs of a form body cut at some byte: the complete pairs, the cut
/// one with what arrived of its value, and the name of the cut one (the
/// field being sent when the body passed the limit).
fn form_prefix(bytes: &[u8]) -> (Fields, String) {
    let (complete, cut) = match bytes.iter().rposition(|&b| b == b'&') {
        Some(i) => (&bytes[..i], &bytes[i + 1..]),
        None => (&bytes[..0], bytes),
    };
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(complete).unwrap_or_default();
    let mut name = pairs.last().map(|(k, _)| k.clone()).unwrap_or_default();
    let mut fields: Fields = pairs.into_iter().collect();
    if let Some((k, v)) = decode_cut_pair(cut)
        && !k.is_empty()
    {
        name.clone_from(&k);
        fields.insert(k, v);
    }
    (fields, name)
}

/// The `name=value` pair that a cut body ends with, decoded: an escape or
/// a character cut at the end is dropped.
fn decode_cut_pair(pair: &[u8]) -> Option<(String, String)> {
    let (name, value) = match pair.iter().position(|&b| b == b'=') {
        Some(i) => (&pair[..i], &pair[i + 1..]),
        None => (pair, &pair[..0]),
    };
    let name = String::from_utf8(percent_decode(name)).ok()?;
    let value = percent_decode(value);
    let value = match std::str::from_utf8(&value) {
        Ok(v) => v.to_owned(),
        Err(e) => String::from_utf8_lossy(&value[..e.valid_up_to()]).into_owned(),
    };
    Some((name, value))
}

fn percent_decode(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        match s[i] {
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b'%' => match s
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                Some(b) => {
                    out.push(b);
                    i += 3;
                }
                None if i + 3 > s.len() => break,
                None => {
                    out.push(b'%');
                    i += 1;
                }
            },
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

/// A JSON object of scalars, with nested objects one level deep written as
/// `outer.inner` (so `{"answers": {"overall": 5}}` is `answers.overall=5`,
/// the same name a form uses).
fn flatten_json(value: serde_json::Value) -> Result<Fields> {
    let serde_json::Value::Object(map) = value else {
        return Err(Error::rejected(Code::InvalidInput, Msg::JsonObject));
    };
    let mut out = Fields::new();
    for (k, v) in map {
        match v {
            serde_json::Value::Object(inner) => {
                for (ik, iv) in inner {
                    let name = format!("{k}.{ik}");
                    if let Some(s) = scalar(&name, iv)? {
                        out.insert(name, s);
                    }
                }
            }
            other => {
                if let Some(s) = scalar(&k, other)? {
                    out.insert(k, s);
                }
            }
        }
    }
    Ok(out)
}

fn scalar(name: &str, v: serde_json::Value) -> Result<Option<String>> {
    Ok(match v {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) => Some(s),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => {
            return Err(Error::field(name, Msg::JsonValues));
        }
    })
}

/// The scheme://host[:port] part of a URL.
pub fn origin_of(url: &str) -> Option<&str> {
    let rest = url.find("://").map(|i| i + 3)?;
    let end = url[rest..].find('/').map(|i| rest + i).unwrap_or(url.len());
    Some(&url[..end])
}

/// Browsers send `Origin` with every form post: it must be the site's. A
/// form post without `Origin` must at least carry a same-site `Referer`.
/// JSON from non-browser clients may come without either.
pub fn check_origin(
    headers: &HeaderMap,
    kind: BodyKind,
    allowed: impl Fn(&str) -> bool,
) -> Result<()> {
    let get = |h| {
        headers
            .get(h)
            .and_then(|v: &axum::http::HeaderValue| v.to_str().ok())
    };
    match get(header::ORIGIN) {
        Some(o) if allowed(o) => Ok(()),
        Some(_) => Err(Error::new(Code::OriginNotAllowed)),
        None if kind != BodyKind::Form => Ok(()),
        None => match get(header::REFERER).and_then(origin_of) {
            Some(o) if allowed(o) => Ok(()),
            _ => Err(Error::new(Code::OriginNotAllowed)),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(k.clone(), HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[tokio::test]
    async fn json_and_forms_read_the_same() {
        let j = headers(&[(header::CONTENT_TYPE, "application/json; charset=utf-8")]);
        let a = read(
            &j,
            Body::from(
                r#"{"name":"홍길동","slots":2,"consent":true,"answers":{"overall":5},"x":null}"#,
            ),
            BODY_LIMIT,
        )
        .await
        .unwrap();
        let f = headers(&[(header::CONTENT_TYPE, "application/x-www-form-urlencoded")]);
        let b = read(
            &f,
            Body::from("name=%ED%99%8D%EA%B8%B8%EB%8F%99&slots=2&consent=true&answers.overall=5"),
            BODY_LIMIT,
        )
        .await
        .unwrap();
        assert_eq!(a.fields().unwrap(), b.fields().unwrap());
        assert_eq!((a.kind, b.kind), (BodyKind::Json, BodyKind::Form));
    }

    #[tokio::test]
    async fn strict_types_and_sizes() {
        let t = headers(&[(header::CONTENT_TYPE, "text/plain")]);
        assert_eq!(
            read(&t, Body::from("x"), BODY_LIMIT)
                .await
                .err()
                .unwrap()
                .code(),
            Code::UnsupportedMediaType
        );
        let none = HeaderMap::new();
        assert!(
            read(&none, Body::empty(), BODY_LIMIT)
                .await
                .unwrap()
                .fields()
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            read(&none, Body::from("x"), BODY_LIMIT)
                .await
                .err()
                .unwrap()
                .code(),
            Code::UnsupportedMediaType
        );
        let j = headers(&[(header::CONTENT_TYPE, "application/json")]);
        let big = format!(r#"{{"x":"{}"}}"#, "a".repeat(BODY_LIMIT));
        assert_eq!(
            read(&j, Body::from(big), BODY_LIMIT)
                .await
                .err()
                .unwrap()
                .code(),
            Code::PayloadTooLarge
        );
        assert_eq!(
            read(&j, Body::from("[1]"), BODY_LIMIT)
                .await
                .err()
                .unwrap()
                .code(),
            Code::InvalidInput
        );
        assert_eq!(
            read(&j, Body::from(r#"{"a":[1]}"#), BODY_LIMIT)
                .await
                .err()
                .unwrap()
                .code(),
            Code::InvalidInput
        );
    }

    #[tokio::test]
    async fn a_form_cut_at_the_limit_keeps_what_fitted_and_names_the_field() {
        let f = headers(&[(header::CONTENT_TYPE, "application/x-www-form-urlencoded")]);
        let body = serde_urlencoded::to_string([
            ("name", "홍길동"),
            ("fields.plan", &"가".repeat(100)),
            ("phone", "010-1234-5678"),
        ])
        .unwrap();
        // Cut inside the plan, in the middle of an escape and of a character.
        for limit in [60, 61, 62, 63, 64, 200] {
            let input = read(&f, Body::from(body.clone()), limit).await.unwrap();
            let e = input.fields().unwrap_err();
            assert_eq!(e.code(), Code::PayloadTooLarge);
            assert!(
                e.field_errors().unwrap().contains_key("fields.plan"),
                "{limit}"
            );
            let values = input.values();
            assert_eq!(values["name"], "홍길동");
            let plan = &values["fields.plan"];
            assert!(
                !plan.is_empty() && plan.chars().all(|c| c == '가'),
                "{limit}: {plan}"
            );
        }
        let whole = read(&f, Body::from(body.clone()), body.len())
            .await
            .unwrap();
        assert_eq!(whole.fields().unwrap()["phone"], "010-1234-5678");
    }

    #[test]
    fn origins() {
        let ok = |o: &str| o == "https://sbiz.example.kr";
        let form = BodyKind::Form;
        assert!(
            check_origin(
                &headers(&[(header::ORIGIN, "https://sbiz.example.kr")]),
                form,
                ok
            )
            .is_ok()
        );
        assert!(
            check_origin(
                &headers(&[(header::ORIGIN, "https://evil.example")]),
                form,
                ok
            )
            .is_err()
        );
        assert!(check_origin(&headers(&[(header::ORIGIN, "null")]), form, ok).is_err());
        assert!(
            check_origin(
                &headers(&[(header::REFERER, "https://sbiz.example.kr/equipment/x/")]),
                form,
                ok
            )
            .is_ok()
        );
        assert!(check_origin(&HeaderMap::new(), form, ok).is_err());
        assert!(check_origin(&HeaderMap::new(), BodyKind::Json, ok).is_ok());
        assert!(
            check_origin(
                &headers(&[(header::ORIGIN, "https://evil.example")]),
                BodyKind::Json,
                ok
            )
            .is_err()
        );
        assert_eq!(
            origin_of("http://localhost:1313/a/b"),
            Some("http://localhost:1313")
        );
    }

    mod properties {
        use super::*;
        use crate::strategies::{config, messy_text};
        use proptest::prelude::*;

        fn runtime() -> tokio::runtime::Runtime {
            tokio::runtime::Builder::new_current_thread()
                .build()
                .expect("runtime")
        }

        fn typed(content_type: &str) -> HeaderMap {
            headers(&[(header::CONTENT_TYPE, content_type)])
        }

        /// A JSON scalar and the field value it reads as.
        fn scalar_value() -> impl Strategy<Value = (serde_json::Value, Option<String>)> {
            prop_oneof![
                messy_text(12).prop_map(|s| (serde_json::Value::String(s.clone()), Some(s))),
                any::<i64>().prop_map(|n| (serde_json::json!(n), Some(n.to_string()))),
                any::<bool>().prop_map(|b| (serde_json::json!(b), Some(b.to_string()))),
                Just((serde_json::Value::Null, None)),
            ]
        }

        proptest! {
            #![proptest_config(config())]

            #[test]
            fn arbitrary_bodies_never_panic(
                bytes in prop::collection::vec(any::<u8>(), 0..512),
                text in messy_text(64),
                content_type in prop::sample::select(vec![
                    "application/json", "application/x-www-form-urlencoded",
                    "application/json; charset=utf-8", "text/plain",
                ]),
            ) {
                let rt = runtime();
                for body in [bytes.clone(), text.into_bytes()] {
                    let h = typed(content_type);
                    if let Ok(input) = rt.block_on(read(&h, Body::from(body), BODY_LIMIT)) {
                        prop_assert!(input.values().len() <= MAX_FIELDS);
                        prop_assert!(content_type != "text/plain");
                    }
                }
            }

            #[test]
            fn json_and_form_bodies_read_back_what_was_sent(
                fields in prop::collection::btree_map(
                    "[a-z_]{1,8}(\\.[a-z_]{1,8})?",
                    scalar_value(),
                    0..12,
                ),
            ) {
                let rt = runtime();
                let expected: Fields = fields
                    .iter()
                    .filter_map(|(k, (_, v))| v.clone().map(|v| (k.clone(), v)))
                    .collect();
                // JSON: dotted names sent nested, as `{"answers": {"overall": 5}}`.
                let mut object = serde_json::Map::new();
                for (k, (v, _)) in &fields {
                    match k.split_once('.') {
                        Some((outer, inner)) => {
                            let slot = object
                                .entry(outer.to_owned())
                                .or_insert_with(|| serde_json::json!({}));
                            if !slot.is_object() {
                                // `a` and `a.b` both sent: not representable in JSON.
                                return Ok(());
                            }
                            slot[inner] = v.clone();
                        }
                        None => {
                            if object.get(k).is_some_and(serde_json::Value::is_object) {
                                return Ok(());
                            }
                            object.insert(k.clone(), v.clone());
                        }
                    }
                }
                let json = serde_json::Value::Object(object).to_string();
                let read_json = rt
                    .block_on(read(&typed("application/json"), Body::from(json), BODY_LIMIT))
                    .map(|i| i.values());
                prop_assert_eq!(read_json.ok(), Some(expected.clone()));
                // A form: the same fields as name=value pairs.
                let pairs: Vec<(&String, &String)> = expected.iter().collect();
                let form = serde_urlencoded::to_string(&pairs).expect("encode");
                let read_form = rt
                    .block_on(read(
                        &typed("application/x-www-form-urlencoded"),
                        Body::from(form),
                        BODY_LIMIT,
                    ))
                    .map(|i| i.values());
                prop_assert_eq!(read_form.ok(), Some(expected));
            }
        }
    }
}
