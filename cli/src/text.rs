//! The command line's own words, in Kazakh, Russian and English.
//!
//! The report and validation messages come from the core's `.ftl` files
//! ([`komek_core::l10n::Localizer`]); the questions of the interactive
//! self-check and the few framing lines of `check` are the command line's own,
//! in `cli/locales/<lang>/cli.ftl`, compiled in like the core's. A missing
//! message falls back to English, then to the id (a test checks that every id
//! exists in all three languages).

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use komek_core::l10n::Lang;
use std::sync::OnceLock;

const FILES: [(Lang, &str); 3] = [
    (Lang::Kk, include_str!("../locales/kk/cli.ftl")),
    (Lang::Ru, include_str!("../locales/ru/cli.ftl")),
    (Lang::En, include_str!("../locales/en/cli.ftl")),
];

struct Texts {
    bundles: Vec<(Lang, FluentBundle<FluentResource>)>,
}

fn texts() -> &'static Texts {
    static T: OnceLock<Texts> = OnceLock::new();
    T.get_or_init(|| Texts {
        bundles: FILES
            .iter()
            .map(|(lang, text)| {
                let langid = lang.code().parse().unwrap_or_default();
                let mut bundle = FluentBundle::new_concurrent(vec![langid]);
                bundle.set_use_isolating(false);
                let resource = match FluentResource::try_new((*text).to_string()) {
                    Ok(r) => r,
                    Err((r, _)) => r,
                };
                // Duplicate ids keep the first definition; the tests reject them.
                let _ = bundle.add_resource(resource);
                (*lang, bundle)
            })
            .collect(),
    })
}

/// The message `id` in `lang` with `args`, else in English, else the id.
pub fn tr_args(lang: Lang, id: &str, args: &[(&str, FluentValue<'static>)]) -> String {
    let mut fargs = FluentArgs::new();
    for (name, value) in args {
        fargs.set(*name, value.clone());
    }
    for l in [lang, Lang::En] {
        let Some((_, bundle)) = texts().bundles.iter().find(|(b, _)| *b == l) else {
            continue;
        };
        if let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) {
            let mut errors = Vec::new();
            return bundle
                .format_pattern(pattern, Some(&fargs), &mut errors)
                .into_owned();
        }
    }
    id.to_string()
}

/// The message `id` in `lang` (no arguments).
pub fn tr(lang: Lang, id: &str) -> String {
    tr_args(lang, id, &[])
}

/// Text from outside (a form's names and notes, a device label, a registry's
/// message) made safe for a terminal: control characters, DEL and the
/// Unicode bidirectional controls are shown as escapes (`\u{1b}`), so an
/// escape sequence in a name cannot rewrite a supervisor's screen. With
/// `lines` a line break stays a line break (a form's notes).
pub fn escape(text: &str, lines: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let bidi = matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
        if (c == '\n' && lines) || !(c.is_control() || bidi) {
            out.push(c);
        } else {
            out.extend(c.escape_default());
        }
    }
    out
}

/// [`escape`] for one-line text.
pub fn esc(text: &str) -> String {
    escape(text, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    use fluent_bundle::FluentResource;
    use std::collections::BTreeSet;

    /// Issue 11, finding 11: nothing from outside reaches a terminal raw.
    #[test]
    fn control_characters_are_printed_as_escapes() {
        assert_eq!(esc("Әлия Ivanova"), "Әлия Ivanova");
        assert_eq!(esc("x\u{1b}[2J\u{7}"), "x\\u{1b}[2J\\u{7}");
        assert_eq!(esc("a\u{9b}b\u{202e}c\u{7f}"), "a\\u{9b}b\\u{202e}c\\u{7f}");
        assert_eq!(esc("one\ntwo\r"), "one\\ntwo\\r");
        assert_eq!(escape("one\ntwo\r", true), "one\ntwo\\r");
    }

    fn ids(text: &str) -> BTreeSet<String> {
        let resource = match FluentResource::try_new(text.to_string()) {
            Ok(r) => r,
            Err((_, errors)) => panic!("syntax errors: {errors:?}"),
        };
        let mut seen = BTreeSet::new();
        for entry in resource.entries() {
            if let fluent_syntax::ast::Entry::Message(m) = entry {
                assert!(
                    seen.insert(m.id.name.to_string()),
                    "duplicate {}",
                    m.id.name
                );
            }
        }
        seen
    }

    #[test]
    fn every_message_exists_in_all_three_languages() {
        let en = ids(FILES[2].1);
        assert!(en.len() > 40, "{}", en.len());
        for (lang, text) in FILES {
            assert_eq!(ids(text), en, "{lang:?}");
        }
    }

    #[test]
    fn messages_format_with_arguments_and_fall_back_to_the_id() {
        let s = tr_args(
            Lang::En,
            "ask-person",
            &[("number", 2.into()), ("total", 3.into())],
        );
        assert!(s.contains('2') && s.contains('3'), "{s}");
        assert_eq!(tr(Lang::Kk, "no-such-message"), "no-such-message");
    }
}
