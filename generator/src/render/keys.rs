//! The keys of the theme's translation table that the generator itself
//! writes into pages (statuses, facts, units, titles): one list, so that a
//! theme lacking one is told so by `sbiz check`, at the theme's file, instead
//! of a page showing a hole.
//!
//! [`Tr`](super::templates::Tr) takes only a [`Key`], and a [`Key`] exists
//! only as one of the constants below (or is picked from them by kind,
//! taxonomy, status…), so every key the generator can ask for is in [`ALL`].

use std::path::Path;

use sbiz_catalog::{Lang, Weekday};
use sbiz_presentation::i18n::Translations;

use crate::diagnostics::Diagnostic;
use crate::model::{Employment, Format, Kind, OperatorType, Status, Taxonomy};
use crate::t;

/// A key of the theme's translation table the generator uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Key(&'static str);

impl Key {
    pub(crate) fn name(self) -> &'static str {
        self.0
    }
}

macro_rules! keys {
    ($($name:ident = $key:literal,)*) => {
        $(pub(crate) const $name: Key = Key($key);)*
        /// Every key the generator uses.
        pub(crate) const ALL: &[Key] = &[$($name),*];
    };
}

keys! {
    APPROVAL_INSTANT = "approval_instant",
    APPROVAL_STAFF = "approval_staff",
    CLOSED_DAY = "closed_day",
    DATA_DESCRIPTION = "data_description",
    DATA_TITLE = "data_title",
    DATE_RANGE = "date_range",
    EMPLOYMENT_CONTRACT = "employment_contract",
    EMPLOYMENT_DAILY = "employment_daily",
    EMPLOYMENT_FULL_TIME = "employment_full_time",
    EMPLOYMENT_PART_TIME = "employment_part_time",
    FACT_APPLY_PERIOD = "fact_apply_period",
    FACT_BOOKING = "fact_booking",
    FACT_DEADLINE = "fact_deadline",
    FACT_DISTRICT = "fact_district",
    FACT_FACILITY = "fact_facility",
    FACT_FEE = "fact_fee",
    FACT_HOW_TO_APPLY = "fact_how_to_apply",
    FACT_OPERATOR = "fact_operator",
    FACT_PHONE = "fact_phone",
    FACT_POSTED = "fact_posted",
    FACT_STARTS = "fact_starts",
    FACT_SUBWAY = "fact_subway",
    FACT_SUPPORT = "fact_support",
    FACT_WAGE = "fact_wage",
    FACT_WORKPLACE = "fact_workplace",
    FEE_FREE = "fee_free",
    FEE_PER = "fee_per",
    FEED_NOTICES = "feed_notices",
    FEED_PROGRAMME_SUMMARY = "feed_programme_summary",
    FEED_PROGRAMMES = "feed_programmes",
    FILTER_STATUS = "filter_status",
    FORMAT_HYBRID = "format_hybrid",
    FORMAT_OFFLINE = "format_offline",
    FORMAT_ONLINE = "format_online",
    HOME = "home",
    IN_KOREAN = "in_korean",
    KIND_EQUIPMENT = "kind_equipment",
    KIND_FACILITIES = "kind_facilities",
    KIND_JOBS = "kind_jobs",
    KIND_NOTICES = "kind_notices",
    KIND_POLICIES = "kind_policies",
    KIND_PROGRAMMES = "kind_programmes",
    KOREAN_MORE_EQUIPMENT = "korean_more_equipment",
    KOREAN_MORE_FACILITIES = "korean_more_facilities",
    KOREAN_MORE_JOBS = "korean_more_jobs",
    KOREAN_MORE_NOTICES = "korean_more_notices",
    KOREAN_MORE_POLICIES = "korean_more_policies",
    KOREAN_MORE_PROGRAMMES = "korean_more_programmes",
    LIST_DESCRIPTION = "list_description",
    MY_DESCRIPTION = "my_description",
    MY_TITLE = "my_title",
    NOT_FOUND_HOME = "not_found_home",
    NOT_FOUND_TEXT = "not_found_text",
    NOT_FOUND_TITLE = "not_found_title",
    NOTICE_PINNED = "notice_pinned",
    OPERATOR_CITY = "operator_city",
    OPERATOR_DISTRICT = "operator_district",
    OPERATOR_PRIVATE = "operator_private",
    POLICY_APPLY_FORM = "policy_apply_form",
    POLICY_APPLY_URL = "policy_apply_url",
    RANGE = "range",
    RESERVATION_DESCRIPTION = "reservation_description",
    RESERVATION_TITLE = "reservation_title",
    RULES_CANCEL_TEXT = "rules_cancel_text",
    RULES_QUOTA_TEXT = "rules_quota_text",
    RULES_TRAINING = "rules_training",
    SEARCH_DESCRIPTION = "search_description",
    SEARCH_TITLE = "search_title",
    STATUS_CLOSED = "status_closed",
    STATUS_OPEN = "status_open",
    STATUS_OPEN_POLICY = "status_open_policy",
    STATUS_UPCOMING = "status_upcoming",
    TAXONOMY_AREAS = "taxonomy_areas",
    TAXONOMY_AUDIENCES = "taxonomy_audiences",
    TAXONOMY_DESCRIPTION = "taxonomy_description",
    TAXONOMY_DISTRICTS = "taxonomy_districts",
    TAXONOMY_INDUSTRIES = "taxonomy_industries",
    TAXONOMY_STAGES = "taxonomy_stages",
    TAXONOMY_TITLE = "taxonomy_title",
    TERM_DESCRIPTION = "term_description",
    TIME_RANGE = "time_range",
    TITLE_PAGE = "title_page",
    UNIT_DAY = "unit_day",
    UNIT_DAYS = "unit_days",
    UNIT_HOUR = "unit_hour",
    UNIT_HOURS = "unit_hours",
    UNIT_HOURS_RANGE = "unit_hours_range",
    UNIT_MINUTES = "unit_minutes",
    WEEKDAY_FRI = "weekday_fri",
    WEEKDAY_MON = "weekday_mon",
    WEEKDAY_SAT = "weekday_sat",
    WEEKDAY_SUN = "weekday_sun",
    WEEKDAY_THU = "weekday_thu",
    WEEKDAY_TUE = "weekday_tue",
    WEEKDAY_WED = "weekday_wed",
    WON = "won",
}

/// A kind's name (지원시설, Support facilities).
pub(crate) fn kind(k: Kind) -> Key {
    match k {
        Kind::Facility => KIND_FACILITIES,
        Kind::Equipment => KIND_EQUIPMENT,
        Kind::Programme => KIND_PROGRAMMES,
        Kind::Policy => KIND_POLICIES,
        Kind::Job => KIND_JOBS,
        Kind::Notice => KIND_NOTICES,
    }
}

/// How many records of a kind an English list leaves out, being Korean only.
pub(crate) fn korean_more(k: Kind) -> Key {
    match k {
        Kind::Facility => KOREAN_MORE_FACILITIES,
        Kind::Equipment => KOREAN_MORE_EQUIPMENT,
        Kind::Programme => KOREAN_MORE_PROGRAMMES,
        Kind::Policy => KOREAN_MORE_POLICIES,
        Kind::Job => KOREAN_MORE_JOBS,
        Kind::Notice => KOREAN_MORE_NOTICES,
    }
}

/// A taxonomy's name (업종, Industries).
pub(crate) fn taxonomy(t: Taxonomy) -> Key {
    match t {
        Taxonomy::Industries => TAXONOMY_INDUSTRIES,
        Taxonomy::Districts => TAXONOMY_DISTRICTS,
        Taxonomy::Audiences => TAXONOMY_AUDIENCES,
        Taxonomy::Stages => TAXONOMY_STAGES,
        Taxonomy::Areas => TAXONOMY_AREAS,
    }
}

/// A status of a record of `kind` (모집 중 for programmes and job postings,
/// 접수 중 for policies).
pub(crate) fn status(s: Status, kind: Kind) -> Key {
    match (s, kind) {
        (Status::Upcoming, _) => STATUS_UPCOMING,
        (Status::Open, Kind::Policy) => STATUS_OPEN_POLICY,
        (Status::Open, _) => STATUS_OPEN,
        (Status::Closed, _) => STATUS_CLOSED,
    }
}

pub(crate) fn format(f: Format) -> Key {
    match f {
        Format::Offline => FORMAT_OFFLINE,
        Format::Online => FORMAT_ONLINE,
        Format::Hybrid => FORMAT_HYBRID,
    }
}

pub(crate) fn employment(e: Employment) -> Key {
    match e {
        Employment::FullTime => EMPLOYMENT_FULL_TIME,
        Employment::Contract => EMPLOYMENT_CONTRACT,
        Employment::PartTime => EMPLOYMENT_PART_TIME,
        Employment::Daily => EMPLOYMENT_DAILY,
    }
}

pub(crate) fn operator_type(t: OperatorType) -> Key {
    match t {
        OperatorType::City => OPERATOR_CITY,
        OperatorType::District => OPERATOR_DISTRICT,
        OperatorType::Private => OPERATOR_PRIVATE,
    }
}

/// A weekday's short name (월, Mon).
pub(crate) fn weekday(d: Weekday) -> Key {
    match d {
        Weekday::Mon => WEEKDAY_MON,
        Weekday::Tue => WEEKDAY_TUE,
        Weekday::Wed => WEEKDAY_WED,
        Weekday::Thu => WEEKDAY_THU,
        Weekday::Fri => WEEKDAY_FRI,
        Weekday::Sat => WEEKDAY_SAT,
        Weekday::Sun => WEEKDAY_SUN,
    }
}

/// The theme's file where the generator's texts of `lang` belong
/// (`i18n/site.<lang>.yaml`), as the editor knows it.
fn site_file(shown_i18n: &Path, lang: Lang) -> String {
    shown_i18n
        .join(format!("site.{}.yaml", lang.code()))
        .display()
        .to_string()
}

/// A key of [`ALL`] that the theme's table of a language lacks is an error
/// at that language's `site.<lang>.yaml`.
pub(crate) fn check(translations: &Translations, shown_i18n: &Path) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for lang in Lang::ALL {
        let table = translations.table(lang);
        for key in ALL.iter().filter(|k| !table.contains_key(k.name())) {
            out.push(
                Diagnostic::new(
                    Path::new(&site_file(shown_i18n, lang)),
                    1,
                    1,
                    key.name(),
                    t!("the theme lacks a text the generator writes into pages"),
                )
                .expected(t!("`{key}:` with its text", key = key.name())),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_listed_once() {
        let mut names: Vec<&str> = ALL.iter().map(|k| k.name()).collect();
        names.sort_unstable();
        let before = names.len();
        names.dedup();
        assert_eq!(before, names.len());
    }

    #[test]
    fn a_missing_key_is_reported_at_the_site_file_of_each_language() {
        let mut t = Translations::default();
        for key in ALL {
            t.ko.insert(key.name().to_owned(), "가".to_owned());
            t.en.insert(key.name().to_owned(), "A".to_owned());
        }
        assert!(check(&t, Path::new("themes/x/i18n")).is_empty());
        t.ko.remove("fee_free");
        let d = check(&t, Path::new("themes/x/i18n"));
        assert_eq!(d.len(), 1);
        let shown = d[0].to_string();
        assert!(shown.contains("themes/x/i18n/site.ko.yaml"), "{shown}");
        assert!(shown.contains("`fee_free`"), "{shown}");
    }
}
