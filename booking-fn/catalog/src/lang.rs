//! The languages of the portal: Korean, the default, at the site's root, and
//! English, whose pages live under `/en/`.

use serde::{Deserialize, Serialize};

/// A language of the site. Korean is the default: every page exists in
/// Korean; a page has an English version when its content was translated.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Ko,
    En,
}

impl Lang {
    /// Every language, the default first.
    pub const ALL: [Lang; 2] = [Lang::Ko, Lang::En];

    /// The BCP 47 code (`lang` and `hreflang` attributes, `?lang=` values).
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ko => "ko",
            Lang::En => "en",
        }
    }

    /// The language of a code, as [`Lang::code`] writes it.
    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "ko" => Some(Lang::Ko),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The path prefix of the language's pages: empty for Korean, `/en`.
    pub fn prefix(self) -> &'static str {
        match self {
            Lang::Ko => "",
            Lang::En => "/en",
        }
    }

    /// The language a site path belongs to: `/en` and `/en/…` are English.
    pub fn of_path(path: &str) -> Lang {
        match path.strip_prefix("/en") {
            Some(rest) if rest.is_empty() || rest.starts_with('/') => Lang::En,
            _ => Lang::Ko,
        }
    }

    /// The site path of a Korean path in this language: `/facilities/` is
    /// `/en/facilities/` in English. Paths that are not site-absolute
    /// (`https://…`, `#top`) are returned unchanged.
    pub fn path(self, korean: &str) -> String {
        if self == Lang::Ko || !korean.starts_with('/') || korean.starts_with("//") {
            korean.to_owned()
        } else {
            format!("{}{korean}", self.prefix())
        }
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_map_between_editions() {
        assert_eq!(Lang::En.path("/facilities/"), "/en/facilities/");
        assert_eq!(Lang::En.path("/"), "/en/");
        assert_eq!(Lang::Ko.path("/facilities/"), "/facilities/");
        assert_eq!(Lang::En.path("https://example.kr/"), "https://example.kr/");
        assert_eq!(Lang::En.path("//cdn.example.kr/"), "//cdn.example.kr/");
        assert_eq!(Lang::of_path("/en/jobs/"), Lang::En);
        assert_eq!(Lang::of_path("/en"), Lang::En);
        assert_eq!(Lang::of_path("/energy/"), Lang::Ko);
        assert_eq!(Lang::of_path("/jobs/"), Lang::Ko);
        assert_eq!(Lang::from_code("en"), Some(Lang::En));
        assert_eq!(Lang::from_code("EN"), None);
    }
}
