//! Localization: every sentence Komek shows exists in Kazakh, Russian and English.
//!
//! Families are told in their own language why they are likely eligible or not,
//! so the core never builds sentences: reports and validation problems carry
//! message ids with arguments, and this module turns them into text with Fluent
//! (`fluent-bundle`). The `.ftl` files under `core/locales/<lang>/` are compiled
//! in (the app works offline). A missing message falls back to English, then to
//! the id itself: rendering never panics. Tests check that every id exists in all
//! three languages.

mod format;
mod labels;

pub use format::{format_coefficient, format_date, format_integer, format_money, format_percent};
pub use labels::{label, label_id, LabelKind};

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::sync::OnceLock;
use unic_langid::LanguageIdentifier;

/// The languages Komek speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Kk,
    Ru,
    En,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Kk, Lang::Ru, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Kk => "kk",
            Lang::Ru => "ru",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.code() == code)
    }

    fn index(self) -> usize {
        match self {
            Lang::Kk => 0,
            Lang::Ru => 1,
            Lang::En => 2,
        }
    }

    fn langid(self) -> LanguageIdentifier {
        self.code().parse().unwrap_or_default()
    }
}

/// Every `.ftl` file, per language, compiled in. Add a file here in all three
/// languages at once (a test compares the lists).
pub const RESOURCES: &[(Lang, &str, &str)] = &[
    (
        Lang::En,
        "rules.ftl",
        include_str!("../../locales/en/rules.ftl"),
    ),
    (
        Lang::Ru,
        "rules.ftl",
        include_str!("../../locales/ru/rules.ftl"),
    ),
    (
        Lang::Kk,
        "rules.ftl",
        include_str!("../../locales/kk/rules.ftl"),
    ),
    (
        Lang::En,
        "programmes.ftl",
        include_str!("../../locales/en/programmes.ftl"),
    ),
    (
        Lang::Ru,
        "programmes.ftl",
        include_str!("../../locales/ru/programmes.ftl"),
    ),
    (
        Lang::Kk,
        "programmes.ftl",
        include_str!("../../locales/kk/programmes.ftl"),
    ),
    (
        Lang::En,
        "validation.ftl",
        include_str!("../../locales/en/validation.ftl"),
    ),
    (
        Lang::Ru,
        "validation.ftl",
        include_str!("../../locales/ru/validation.ftl"),
    ),
    (
        Lang::Kk,
        "validation.ftl",
        include_str!("../../locales/kk/validation.ftl"),
    ),
    (
        Lang::En,
        "followup.ftl",
        include_str!("../../locales/en/followup.ftl"),
    ),
    (
        Lang::Ru,
        "followup.ftl",
        include_str!("../../locales/ru/followup.ftl"),
    ),
    (
        Lang::Kk,
        "followup.ftl",
        include_str!("../../locales/kk/followup.ftl"),
    ),
];

/// Formats message ids in the three languages.
pub struct Localizer {
    bundles: [FluentBundle<FluentResource>; 3],
}

impl Default for Localizer {
    fn default() -> Self {
        Self::new()
    }
}

impl Localizer {
    /// Builds the bundles from [`RESOURCES`]. Syntax errors and duplicate ids
    /// are skipped here (the entries that parsed are kept) and caught by tests.
    pub fn new() -> Localizer {
        let bundles = Lang::ALL.map(|lang| {
            let mut bundle = FluentBundle::new_concurrent(vec![lang.langid()]);
            // Plain text: no Unicode isolation marks around arguments.
            bundle.set_use_isolating(false);
            for (l, _, text) in RESOURCES {
                if *l != lang {
                    continue;
                }
                let resource = match FluentResource::try_new((*text).to_string()) {
                    Ok(r) => r,
                    Err((r, _)) => r,
                };
                // Duplicates keep the first definition; the test suite rejects them.
                let _ = bundle.add_resource(resource);
            }
            bundle
        });
        // Lang::ALL is [Kk, Ru, En], matching Lang::index.
        Localizer { bundles }
    }

    /// The process-wide localizer, built on first use.
    pub fn global() -> &'static Localizer {
        static L: OnceLock<Localizer> = OnceLock::new();
        L.get_or_init(Localizer::new)
    }

    fn bundle(&self, lang: Lang) -> &FluentBundle<FluentResource> {
        &self.bundles[lang.index()]
    }

    /// Whether `id` has a value in `lang` (no fallback).
    pub fn has(&self, lang: Lang, id: &str) -> bool {
        self.bundle(lang)
            .get_message(id)
            .is_some_and(|m| m.value().is_some())
    }

    /// Formats `id` in `lang`, else in English, else returns the id.
    pub fn format(&self, lang: Lang, id: &str, args: Option<&FluentArgs>) -> String {
        for l in [lang, Lang::En] {
            let bundle = self.bundle(l);
            if let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) {
                let mut errors = Vec::new();
                return bundle
                    .format_pattern(pattern, args, &mut errors)
                    .into_owned();
            }
        }
        id.to_string()
    }

    /// The message ids defined for `lang` across its files.
    pub fn message_ids(lang: Lang) -> BTreeSet<String> {
        let mut ids = BTreeSet::new();
        for (l, _, text) in RESOURCES {
            if *l != lang {
                continue;
            }
            let resource = match FluentResource::try_new((*text).to_string()) {
                Ok(r) => r,
                Err((r, _)) => r,
            };
            for entry in resource.entries() {
                if let fluent_syntax::ast::Entry::Message(m) = entry {
                    ids.insert(m.id.name.to_string());
                }
            }
        }
        ids
    }
}

#[cfg(test)]
mod tests;
