//! schema.org JSON-LD, serialised safely for a `<script>`: only where a
//! search engine uses it (the site and its search, facilities, courses, job
//! postings, articles). Equipment, policies and plain pages carry none: no
//! search result shows a `Service` or `WebPage`, and the bytes were on
//! every such page.

use serde::Serialize;
use serde_json::{Value, json};

use crate::model::*;
use crate::site::Site;

/// A page's JSON-LD. Tera gets the text of its `<script>` ([`script_safe`]);
/// the page's fingerprint hashes the JSON value the text is made from, and
/// from nothing else, so the fingerprint changes whenever the text would.
/// A rebuild hashes every page and renders few: writing out and escaping
/// thousands of texts only to hash them cost more than hashing the values.
pub(crate) struct JsonLd(Value);

impl Serialize for JsonLd {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if super::cache::hashing() {
            self.0.serialize(s)
        } else {
            s.serialize_str(&script_safe(&self.0))
        }
    }
}

/// JSON that cannot close its `<script>` element.
fn script_safe(v: &Value) -> String {
    serde_json::to_string(v)
        .unwrap_or_default()
        .replace("</", "<\\/")
        .replace("<!--", "<\\!--")
}

/// The address of a page of the site's edition (`/en/…` for English).
fn abs(site: &Site, url: &str) -> String {
    format!("{}{}", site.config.base_url, edition(site).path(url))
}

fn edition(site: &Site) -> sbiz_catalog::Lang {
    sbiz_catalog::Lang::from_code(&site.config.language).unwrap_or_default()
}

/// The region of every address, in the edition's language.
fn seoul(site: &Site) -> &'static str {
    match edition(site) {
        sbiz_catalog::Lang::Ko => "서울특별시",
        sbiz_catalog::Lang::En => "Seoul",
    }
}

fn district_name(site: &Site, id: &sbiz_catalog::Id) -> String {
    site.term(Taxonomy::Districts, id)
        .map_or_else(|| id.to_string(), |t| t.name.clone())
}

pub(crate) fn website(site: &Site) -> JsonLd {
    JsonLd(json!({
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": site.config.name,
        "url": abs(site, "/"),
        "inLanguage": site.config.language,
        "potentialAction": {
            "@type": "SearchAction",
            "target": abs(site, "/search/?q={query}"),
            "query-input": "required name=query"
        }
    }))
}

fn facility_org(site: &Site, f: &Facility) -> Value {
    json!({
        "@type": if f.operator_type == OperatorType::Private { "Organization" } else { "GovernmentOffice" },
        "name": f.name,
        "telephone": f.phone.as_str(),
        "address": {
            "@type": "PostalAddress",
            "streetAddress": f.address,
            "addressLocality": district_name(site, &f.district),
            "addressRegion": seoul(site),
            "addressCountry": "KR"
        },
        "url": abs(site, &crate::urls::detail_url(Kind::Facility, &f.head.id)),
    })
}

/// A facility named as the provider of its equipment and programmes: its
/// name, type and page (where its own JSON-LD has the address and phone),
/// rather than the whole record again on every page.
fn facility_ref(f: &Facility, site: &Site) -> Value {
    json!({
        "@type": if f.operator_type == OperatorType::Private { "Organization" } else { "GovernmentOffice" },
        "name": f.name,
        "url": abs(site, &crate::urls::detail_url(Kind::Facility, &f.head.id)),
    })
}

pub(crate) fn facility(site: &Site, f: &Facility, url: &str) -> JsonLd {
    let mut v = facility_org(site, f);
    v["@context"] = json!("https://schema.org");
    v["description"] = json!(f.summary);
    v["openingHours"] = json!(f.hours);
    if let Some(at) = f.location {
        v["geo"] = json!({ "@type": "GeoCoordinates", "latitude": at.lat, "longitude": at.lng });
    }
    v["url"] = json!(abs(site, url));
    JsonLd(v)
}

pub(crate) fn programme(site: &Site, p: &Programme, url: &str) -> JsonLd {
    let provider = site.facility(&p.facility).map(|f| facility_ref(f, site));
    let mode = match p.format {
        Format::Offline => "onsite",
        Format::Online => "online",
        Format::Hybrid => "blended",
    };
    let (start, end) = (
        p.sessions.iter().map(|s| s.date).min(),
        p.sessions.iter().map(|s| s.date).max(),
    );
    JsonLd(json!({
        "@context": "https://schema.org",
        "@type": "Course",
        "name": p.title,
        "description": p.summary,
        "url": abs(site, url),
        "provider": provider,
        "inLanguage": "ko",
        "offers": { "@type": "Offer", "price": p.fee_won, "priceCurrency": "KRW", "validFrom": p.apply_from.to_string(), "availabilityEnds": p.apply_until.to_string() },
        "hasCourseInstance": {
            "@type": "CourseInstance",
            "courseMode": mode,
            "startDate": start.map(|d| d.to_string()),
            "endDate": end.map(|d| d.to_string()),
            "location": p.place,
            "maximumAttendeeCapacity": p.capacity
        }
    }))
}

pub(crate) fn job(site: &Site, j: &Job, url: &str) -> JsonLd {
    let kind = match j.employment {
        Employment::FullTime => "FULL_TIME",
        Employment::Contract => "CONTRACTOR",
        Employment::PartTime => "PART_TIME",
        Employment::Daily => "TEMPORARY",
    };
    JsonLd(json!({
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "title": j.title,
        "description": format!("{} · {} · {}", j.position, j.wage, j.hours),
        "url": abs(site, url),
        "datePosted": j.posted.to_string(),
        "validThrough": format!("{}T23:59:59+09:00", j.deadline),
        "employmentType": kind,
        "hiringOrganization": { "@type": "Organization", "name": j.company },
        "jobLocation": { "@type": "Place", "address": { "@type": "PostalAddress", "addressLocality": district_name(site, &j.district), "addressRegion": seoul(site), "addressCountry": "KR" } }
    }))
}

pub(crate) fn notice(site: &Site, n: &Notice, url: &str) -> JsonLd {
    JsonLd(json!({
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": n.title,
        "datePublished": n.date.to_string(),
        "url": abs(site, url),
        "publisher": { "@type": "Organization", "name": site.config.operator.name }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::cache::Context;

    #[test]
    fn json_ld_is_script_safe_text_for_tera_and_its_value_for_the_fingerprint() {
        let ld = |name: &str| JsonLd(json!({ "@type": "Article", "headline": name }));
        let mut ctx = Context::new();
        ctx.insert("ld", &ld("</script><!--"));
        assert_eq!(
            ctx.get("ld"),
            Some(&tera::Value::from(
                r#"{"@type":"Article","headline":"<\/script><\!--"}"#
            ))
        );
        let fingerprint = |name: &str| {
            let mut ctx = Context::new();
            ctx.insert("ld", &ld(name));
            let shared = crate::render::cache::Shared::new(
                [],
                &sbiz_presentation::i18n::Translations::default(),
                &Context::new(),
            );
            shared.page("/", "t", &ctx)
        };
        assert_eq!(fingerprint("a"), fingerprint("a"));
        assert_ne!(fingerprint("a"), fingerprint("b"));
        assert_ne!(fingerprint("</"), fingerprint("<\\/"));
    }
}
