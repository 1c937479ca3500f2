//! Feeds and machine-readable files: Atom, iCalendar, sitemap, robots.

use std::collections::HashSet;
use std::fmt::Write;

use super::fragments::{Piece, Pieces};
use super::keys;
use super::templates::Tr;
use crate::model::{Kind, Programme};
use crate::site::Site;
use crate::urls::detail_url;
use sbiz_catalog::Lang;
use sbiz_catalog::Session;
use sbiz_catalog::TimeOfDay;
use sbiz_catalog::clock::Now;

/// Escapes text for XML content and attributes.
pub(crate) fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

pub(crate) fn robots(site: &Site) -> String {
    format!(
        "User-agent: *\nDisallow: /api/\nDisallow: /admin/\n\nSitemap: {}/sitemap.xml\n",
        site.config.base_url
    )
}

/// The sitemap of both editions: a page with both a Korean and an English
/// version lists both as `hreflang` alternates (`english` holds the Korean
/// paths of the pages that have an English version).
pub(crate) fn sitemap(site: &Site, urls: &[String], english: &HashSet<String>) -> String {
    let mut urls: Vec<&String> = urls.iter().filter(|u| u.ends_with('/')).collect();
    urls.sort();
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    let base = xml(&site.config.base_url);
    for u in urls {
        let korean = crate::english::korean_path(u);
        if !english.contains(korean) {
            let _ = writeln!(out, "  <url><loc>{base}{}</loc></url>", xml(u));
            continue;
        }
        let en = Lang::En.path(korean);
        let _ = writeln!(
            out,
            "  <url><loc>{base}{}</loc>\n    <xhtml:link rel=\"alternate\" hreflang=\"ko\" href=\"{base}{k}\"/>\n    <xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"{base}{e}\"/>\n    <xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"{base}{k}\"/>\n  </url>",
            xml(u),
            k = xml(korean),
            e = xml(&en),
        );
    }
    out.push_str("</urlset>\n");
    out
}

struct AtomEntry {
    title: String,
    url: String,
    updated: String,
    summary: String,
}

/// A feed of the site's edition: the English edition's (`/en/feeds/…`)
/// links to English pages.
fn atom(site: &Site, path: &str, title: &str, entries: Vec<AtomEntry>) -> String {
    let base = &site.config.base_url;
    let lang = Lang::from_code(&site.config.language).unwrap_or_default();
    let path = &lang.path(path);
    let updated = entries
        .iter()
        .map(|e| e.updated.clone())
        .max()
        .unwrap_or_else(|| site.now.rfc3339());
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"",
    );
    out.push_str(lang.code());
    out.push_str("\">\n");
    let _ = writeln!(
        out,
        "  <title>{}</title>",
        xml(&format!("{} - {}", site.config.name, title))
    );
    let _ = writeln!(out, "  <id>{}</id>", xml(&format!("{base}{path}")));
    let _ = writeln!(
        out,
        "  <link rel=\"self\" href=\"{}\"/>",
        xml(&format!("{base}{path}"))
    );
    let _ = writeln!(
        out,
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        xml(&format!("{base}{}", lang.path("/")))
    );
    let _ = writeln!(out, "  <updated>{updated}</updated>");
    let _ = writeln!(
        out,
        "  <author><name>{}</name></author>",
        xml(&site.config.operator.name)
    );
    for e in entries {
        let link = format!("{base}{}", lang.path(&e.url));
        out.push_str("  <entry>\n");
        let _ = writeln!(out, "    <title>{}</title>", xml(&e.title));
        let _ = writeln!(out, "    <id>{}</id>", xml(&link));
        let _ = writeln!(
            out,
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
            xml(&link)
        );
        let _ = writeln!(out, "    <updated>{}</updated>", e.updated);
        let _ = writeln!(out, "    <summary>{}</summary>", xml(&e.summary));
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

fn day_start(d: sbiz_catalog::Date) -> String {
    format!("{d}T00:00:00+09:00")
}

pub(crate) fn notices_atom(site: &Site, tr: Tr<'_>) -> String {
    let mut notices: Vec<_> = site.notices.iter().collect();
    notices.sort_by_key(|n| std::cmp::Reverse(n.date));
    let entries = notices
        .into_iter()
        .take(50)
        .map(|n| {
            let url = detail_url(Kind::Notice, &n.head.id);
            let summary = site
                .bodies
                .get(&url)
                .map(|r| r.plain.chars().take(200).collect())
                .unwrap_or_default();
            AtomEntry {
                title: n.title.clone(),
                updated: day_start(n.date),
                url,
                summary,
            }
        })
        .collect();
    atom(
        site,
        "/feeds/notices.xml",
        &tr.s(keys::FEED_NOTICES),
        entries,
    )
}

pub(crate) fn programmes_atom(site: &Site, tr: Tr<'_>) -> String {
    let mut programmes: Vec<_> = site.programmes.iter().collect();
    programmes.sort_by_key(|p| std::cmp::Reverse(p.apply_from));
    let entries = programmes
        .into_iter()
        .take(50)
        .map(|p| AtomEntry {
            title: format!(
                "[{}] {}",
                tr.status(site.programme_status(p), Kind::Programme),
                p.title
            ),
            url: detail_url(Kind::Programme, &p.head.id),
            updated: day_start(p.apply_from),
            summary: tr.f(
                keys::FEED_PROGRAMME_SUMMARY,
                &[
                    ("summary", &p.summary),
                    ("from", &p.apply_from.to_string()),
                    ("until", &p.apply_until.to_string()),
                ],
            ),
        })
        .collect();
    atom(
        site,
        "/feeds/programmes.xml",
        &tr.s(keys::FEED_PROGRAMMES),
        entries,
    )
}

/// Escapes iCalendar TEXT values.
fn ics_text(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace('\n', "\\n")
}

/// Folds a content line at 75 octets (RFC 5545 §3.1), never inside a character.
fn fold(line: &str, out: &mut String) {
    let mut len = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if len + n > 75 {
            out.push_str("\r\n ");
            len = 1;
        }
        out.push(c);
        len += n;
    }
    out.push_str("\r\n");
}

fn host(site: &Site) -> &str {
    site.config
        .base_url
        .split("://")
        .nth(1)
        .unwrap_or(&site.config.base_url)
}

/// What a programme's calendar events are made of (the piece is kept by
/// this value in `sbiz serve`, see `render::fragments`).
#[derive(serde::Serialize)]
struct EventsInput<'a> {
    id: &'a str,
    title: &'a str,
    summary: &'a str,
    sessions: &'a [Session],
    location: String,
    url: String,
    host: &'a str,
    stamp: &'a str,
}

impl<'a> EventsInput<'a> {
    fn new(site: &'a Site, p: &'a Programme, stamp: &'a str) -> EventsInput<'a> {
        let facility = site.facility(&p.facility).map_or("", |f| f.name.as_str());
        EventsInput {
            id: p.head.id.as_str(),
            title: &p.title,
            summary: &p.summary,
            sessions: &p.sessions,
            location: location(facility, p.place.as_deref().unwrap_or("온라인")),
            url: format!(
                "{}{}",
                site.config.base_url,
                detail_url(Kind::Programme, &p.head.id)
            ),
            host: host(site),
            stamp,
        }
    }

    /// The programme's events, one per session, as calendar lines.
    fn events(&self) -> Vec<String> {
        let mut out = String::new();
        for (i, s) in self.sessions.iter().enumerate() {
            let start = Now {
                date: s.date,
                time: s.time.start,
            };
            let end = Now {
                date: s.date,
                time: s.time.end,
            };
            let summary = match &s.title {
                Some(t) => format!("{} - {}", self.title, t),
                None => self.title.to_owned(),
            };
            for line in [
                "BEGIN:VEVENT".to_owned(),
                format!("UID:{}-{}@{}", self.id, i + 1, self.host),
                format!("DTSTAMP:{}", self.stamp),
                format!("DTSTART:{}", start.ical_utc()),
                format!("DTEND:{}", end.ical_utc()),
                format!("SUMMARY:{}", ics_text(&summary)),
                format!("LOCATION:{}", ics_text(&self.location)),
                format!("URL:{}", self.url),
                format!("DESCRIPTION:{}", ics_text(self.summary)),
                "END:VEVENT".to_owned(),
            ] {
                fold(&line, &mut out);
            }
        }
        vec![out]
    }
}

/// The events' `DTSTAMP`: the build's day (midnight, Korea time) rather
/// than its moment, so that the calendars change once a day at most and a
/// rebuild of one change does not rewrite every programme's file (see
/// `render::cache`).
fn stamp(site: &Site) -> String {
    TimeOfDay::from_minutes(0).map_or_else(
        || site.now.ical_utc(),
        |midnight| {
            Now {
                date: site.now.date,
                time: midnight,
            }
            .ical_utc()
        },
    )
}

/// Where a session takes place: the facility's name, then the place, which
/// stands alone when it already names the facility ("서울패션스마트센터 2층
/// 자동재단실") so that a calendar does not show the name twice.
fn location(facility: &str, place: &str) -> String {
    if facility.is_empty() || place.contains(facility) {
        place.to_owned()
    } else {
        format!("{facility} {place}")
    }
}

/// The lines that open a calendar named `name`.
fn calendar_head(name: &str, out: &mut String) {
    for line in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//sbiz//Seoul small manufacturers portal//KO",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ] {
        fold(line, out);
    }
    fold(&format!("X-WR-CALNAME:{}", ics_text(name)), out);
}

/// Each programme's calendar (`/programmes/<id>/sessions.ics`, in the
/// order of `site.programmes`) and the calendar of them all
/// (`/programmes/sessions.ics`). Both hold the same text for a programme's
/// events: it is made once (or taken from `pieces` when what it is made
/// of did not change), and copied into both.
pub(crate) fn calendars(site: &Site, pieces: Pieces<'_>) -> (Vec<String>, String) {
    use rayon::prelude::*;
    let stamp = stamp(site);
    let events: Vec<Piece> = site
        .programmes
        .iter()
        .map(|p| {
            let input = EventsInput::new(site, p, &stamp);
            pieces.piece("calendar-events", &input, EventsInput::events)
        })
        .collect();
    let mut all = String::new();
    calendar_head(&format!("{} 교육 일정", site.config.short_name), &mut all);
    for e in &events {
        all.push_str(&e[0]);
    }
    fold("END:VCALENDAR", &mut all);
    let each = site
        .programmes
        .par_iter()
        .zip(events)
        .map(|(p, events)| {
            let mut out = String::new();
            calendar_head(&p.title, &mut out);
            out.push_str(&events[0]);
            fold("END:VCALENDAR", &mut out);
            out
        })
        .collect();
    (each, all)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_respects_utf8_and_length() {
        let mut out = String::new();
        fold(&format!("SUMMARY:{}", "가".repeat(40)), &mut out);
        for line in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(line.len() <= 75, "{} octets", line.len());
        }
        assert_eq!(
            out.replace("\r\n ", ""),
            format!("SUMMARY:{}\r\n", "가".repeat(40))
        );
        assert_eq!(ics_text("a,b;c\nd"), "a\\,b\\;c\\nd");
        assert_eq!(xml("<a & 'b'>"), "&lt;a &amp; &apos;b&apos;&gt;");
    }

    #[test]
    fn a_location_names_its_facility_once() {
        let center = "서울패션스마트센터";
        assert_eq!(
            location(center, "서울패션스마트센터 2층 자동재단실"),
            "서울패션스마트센터 2층 자동재단실"
        );
        assert_eq!(
            location(center, "2층 교육장"),
            "서울패션스마트센터 2층 교육장"
        );
        assert_eq!(location(center, "온라인"), "서울패션스마트센터 온라인");
        assert_eq!(location("", "2층 교육장"), "2층 교육장");
    }
}
