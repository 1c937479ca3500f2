//! Site settings (`content/site.yaml`).

use sbiz_catalog::{BookingSettings, Consent, NoShowRule, Phone, Reminder, TimeOfDay};
use serde::Serialize;

use crate::yaml::Fields;
use crate::yaml::read::{Email, Url};

#[derive(Debug, Clone, Serialize)]
pub struct Operator {
    pub name: String,
    pub department: Option<String>,
    pub address: String,
    pub phone: Phone,
    pub email: Option<Email>,
    pub privacy_officer: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct NavItem {
    pub title: String,
    pub url: String,
}

/// A headline figure on the home page ("74,594곳 / 서울의 도시형 소공인").
#[derive(Debug, Clone, Serialize)]
pub struct Figure {
    pub value: String,
    pub label: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SiteConfig {
    pub name: String,
    pub short_name: String,
    pub description: String,
    /// Origin without a trailing slash, e.g. `https://sbiz.example.kr`.
    pub base_url: String,
    pub language: String,
    pub official: bool,
    pub sample_content: bool,
    pub per_page: u16,
    pub operator: Operator,
    pub nav: Vec<NavItem>,
    pub figures: Vec<Figure>,
    #[serde(skip)]
    pub booking: BookingSettings,
    #[serde(skip)]
    pub consent: Consent,
    /// When the reminder before use is sent (`reminder:`); none without it.
    #[serde(skip)]
    pub reminder: Option<Reminder>,
}

pub fn read_site(f: &mut Fields<'_>) -> Option<SiteConfig> {
    let name = f.req::<String>("name", "the portal's name");
    let short_name = f.opt::<String>("short_name");
    let description = f.req::<String>("description", "a one-line description");
    let base_url = f.req::<Url>(
        "base_url",
        "the site's address, e.g. https://sbiz.example.kr",
    );
    if let Some(u) = &base_url
        && (u.0.ends_with('/') || u.0.matches('/').count() > 2)
    {
        f.invalid(
            "base_url",
            "the address must be an origin only",
            format!("{:?}", u.0),
            "scheme and host without a path or trailing slash, e.g. https://sbiz.example.kr",
        );
    }
    let language = f.or::<String>("language", "ko".into());
    let official = f.or("official", false);
    let sample_content = f.or("sample_content", true);
    let per_page = f.or::<u16>("per_page", 12);
    if !(1..=100).contains(&per_page) {
        f.invalid(
            "per_page",
            "page size out of range",
            per_page.to_string(),
            "a number from 1 to 100",
        );
    }
    let operator = f.nested("operator", true, "the operator's details", |o| {
        Some(Operator {
            name: o.req("name", "the operating body's name")?,
            department: o.opt("department"),
            address: o.req("address", "a postal address")?,
            phone: o.req("phone", "a phone number")?,
            email: o.opt("email"),
            privacy_officer: o.opt("privacy_officer"),
        })
    });
    let nav = f.list_of("nav", true, "a menu item", |n| {
        let title = n.req::<String>("title", "the menu text");
        let url = n.req::<String>("url", "a site path such as /programmes/");
        // `//host/` and `/\host/` lead off the site in a browser.
        if let Some(u) = &url
            && (!u.starts_with('/') || u.starts_with("//") || u.starts_with("/\\"))
        {
            n.invalid(
                "url",
                "menu links must be site paths",
                format!("{u:?}"),
                "a path starting with a single /, such as /programmes/",
            );
        }
        Some(NavItem {
            title: title?,
            url: url?,
        })
    });
    let figures = f.list_of("figures", false, "a headline figure", |g| {
        let value = g.req::<String>("value", "the figure as shown, e.g. 74,594곳");
        let label = g.req::<String>("label", "what it counts");
        Some(Figure {
            value: value?,
            label: label?,
        })
    });
    let booking = f.nested("booking", true, "the booking settings", |b| {
        let retention_days = b.req::<u16>("retention_days", "days to keep personal data");
        let no_show = b.nested("no_show", true, "the no-show rule", |n| {
            Some(NoShowRule {
                max: n.req("max", "the number of no-shows that blocks booking")?,
                window_days: n.req(
                    "window_days",
                    "the number of days no-shows are counted over",
                )?,
                block_days: n.req("block_days", "the number of days booking is blocked")?,
            })
        });
        if let Some(r) = retention_days
            && !(1..=1825).contains(&r)
        {
            b.invalid(
                "retention_days",
                "retention out of range",
                r.to_string(),
                "1 to 1825 days (5 years)",
            );
        }
        Some(BookingSettings {
            retention_days: retention_days?,
            no_show: no_show?,
        })
    });
    let consent = f.nested("consent", true, "the consent text", |c| {
        Some(Consent {
            version: c.req("version", "a version label such as \"2026-11-01\"")?,
            purpose: c.req("purpose", "the purpose of collection")?,
            items: c.req("items", "the items collected")?,
            retention: c.req("retention", "how long data is kept")?,
            refusal: c.req("refusal", "the right to refuse and what follows")?,
        })
    });
    let reminder = f.nested("reminder", false, "the reminder before use", |r| {
        let days_before = r.req::<u16>(
            "days_before",
            "how many days before the day of use (0 = that morning)",
        );
        let at = r.req::<TimeOfDay>("at", "the time it is sent, e.g. \"10:00\"");
        if let Some(d) = days_before
            && d > 14
        {
            r.invalid(
                "days_before",
                "reminder too early",
                d.to_string(),
                "0 to 14 days before the day of use",
            );
        }
        Some(Reminder {
            days_before: days_before?,
            at: at?,
        })
    });
    Some(SiteConfig {
        reminder,
        short_name: short_name.or_else(|| name.clone())?,
        name: name?,
        description: description?,
        base_url: base_url?.0,
        language,
        official,
        sample_content,
        per_page,
        operator: operator?,
        nav,
        figures,
        booking: booking?,
        consent: consent?,
    })
}
