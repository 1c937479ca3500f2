//! Request bodies: JSON or `application/x-www-form-urlencoded`, read into
//! one flat map of fields; nothing else is accepted. Also the origin check.

use axum::body::Body;
use axum::http::{HeaderMap, header};

use crate::service::Fields;
use crate::{Code, Error, Result};

/// Largest request body accepted.
pub const BODY_LIMIT: usize = 16 * 1024;
const MAX_FIELDS: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    Json,
    Form,
    Empty,
}

pub struct Input {
    pub kind: BodyKind,
    pub fields: Fields,
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

pub async fn read(headers: &HeaderMap, body: Body) -> Result<Input> {
    let kind = match media_type(headers).as_deref() {
        Some("application/json") => BodyKind::Json,
        Some("application/x-www-form-urlencoded") => BodyKind::Form,
        None => BodyKind::Empty,
        Some(_) => return Err(Error::new(Code::UnsupportedMediaType)),
    };
    let bytes = axum::body::to_bytes(body, BODY_LIMIT)
        .await
        .map_err(|_| Error::new(Code::PayloadTooLarge))?;
    let fields = match kind {
        BodyKind::Empty if bytes.is_empty() => Fields::new(),
        BodyKind::Empty => return Err(Error::new(Code::UnsupportedMediaType)),
        BodyKind::Form => {
            let pairs: Vec<(String, String)> =
                serde_urlencoded::from_bytes(&bytes).map_err(|_| {
                    Error::with_message(Code::InvalidInput, "보낸 양식을 읽을 수 없습니다.")
                })?;
            pairs.into_iter().collect()
        }
        BodyKind::Json => {
            let value: serde_json::Value = serde_json::from_slice(&bytes).map_err(|_| {
                Error::with_message(Code::InvalidInput, "보낸 JSON을 읽을 수 없습니다.")
            })?;
            flatten_json(value)?
        }
    };
    if fields.len() > MAX_FIELDS {
        return Err(Error::with_message(
            Code::InvalidInput,
            "항목이 너무 많습니다.",
        ));
    }
    Ok(Input { kind, fields })
}

/// A JSON object of scalars, with nested objects one level deep written as
/// `outer.inner` (so `{"answers": {"overall": 5}}` is `answers.overall=5`,
/// the same name a form uses).
fn flatten_json(value: serde_json::Value) -> Result<Fields> {
    let serde_json::Value::Object(map) = value else {
        return Err(Error::with_message(
            Code::InvalidInput,
            "JSON 객체를 보내 주세요.",
        ));
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
            return Err(Error::field(
                name,
                "값은 문자열, 숫자 또는 참/거짓이어야 합니다.",
            ));
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
        )
        .await
        .unwrap();
        let f = headers(&[(header::CONTENT_TYPE, "application/x-www-form-urlencoded")]);
        let b = read(
            &f,
            Body::from("name=%ED%99%8D%EA%B8%B8%EB%8F%99&slots=2&consent=true&answers.overall=5"),
        )
        .await
        .unwrap();
        assert_eq!(a.fields, b.fields);
        assert_eq!((a.kind, b.kind), (BodyKind::Json, BodyKind::Form));
    }

    #[tokio::test]
    async fn strict_types_and_sizes() {
        let t = headers(&[(header::CONTENT_TYPE, "text/plain")]);
        assert_eq!(
            read(&t, Body::from("x")).await.err().unwrap().code(),
            Code::UnsupportedMediaType
        );
        let none = HeaderMap::new();
        assert!(read(&none, Body::empty()).await.unwrap().fields.is_empty());
        assert_eq!(
            read(&none, Body::from("x")).await.err().unwrap().code(),
            Code::UnsupportedMediaType
        );
        let j = headers(&[(header::CONTENT_TYPE, "application/json")]);
        let big = format!(r#"{{"x":"{}"}}"#, "a".repeat(BODY_LIMIT));
        assert_eq!(
            read(&j, Body::from(big)).await.err().unwrap().code(),
            Code::PayloadTooLarge
        );
        assert_eq!(
            read(&j, Body::from("[1]")).await.err().unwrap().code(),
            Code::InvalidInput
        );
        assert_eq!(
            read(&j, Body::from(r#"{"a":[1]}"#))
                .await
                .err()
                .unwrap()
                .code(),
            Code::InvalidInput
        );
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
                    if let Ok(input) = rt.block_on(read(&h, Body::from(body))) {
                        prop_assert!(input.fields.len() <= MAX_FIELDS);
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
                    .block_on(read(&typed("application/json"), Body::from(json)))
                    .map(|i| i.fields);
                prop_assert_eq!(read_json.ok(), Some(expected.clone()));
                // A form: the same fields as name=value pairs.
                let pairs: Vec<(&String, &String)> = expected.iter().collect();
                let form = serde_urlencoded::to_string(&pairs).expect("encode");
                let read_form = rt
                    .block_on(read(&typed("application/x-www-form-urlencoded"), Body::from(form)))
                    .map(|i| i.fields);
                prop_assert_eq!(read_form.ok(), Some(expected));
            }
        }
    }
}
