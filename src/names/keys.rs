//! Name keys: one string that spelling variants of a name share.
//!
//! News transliterates names from Arabic, Persian and Urdu in many ways:
//! Vaez/Fayez/Faiz, Gaddafi/Qaddafi/Gadhafi/Kadhafi, Qaeda/Qaida,
//! Sistan-Baluchestan/Sistan and Baluchestan. A key is built word by word:
//!
//! 1. fold to ASCII (`deunicode`: diacritics, and Arabic or Cyrillic script
//!    transliterated), lower-case, split at anything not a letter or digit;
//! 2. drop linkers that come and go between spellings: Arabic articles and
//!    particles (al, el, ul, ud, ad, ar, as, ash, at, az, bin, ibn, ben, bint),
//!    Persian/Arabic "va"/"wa" (and) and English "and", "of", "the";
//! 3. reduce each word to a consonant skeleton that transliteration leaves
//!    alone: digraphs folded (kh→h, gh→g, ph→f, th→t, dh→d, sh→s, ch/tch→c,
//!    ck→k, dj→j), letters that stand for one Arabic sound merged (q, c, g→k;
//!    v→f; z after d dropped), vowels dropped except a word's first letter (as
//!    `V`), and doubled letters collapsed; the words' skeletons are joined
//!    without spaces, so a name written as one word or two keys alike.
//!
//! A skeleton throws away much, so a key is trusted only when it is
//! **strong**: at least four consonants in all, or three spread over two words
//! or more ("Ali Vaez"). One word with three ("Reagan" → `rkn`) is not: "Regan",
//! "Rogaine" and "Region" share that skeleton. A weak key ("Iran" → `Vrn`,
//! "Faiz" → `fz`) would merge unrelated names, so for it the key is the
//! *spelling* instead: the first letter as written, then the skeleton with the
//! vowels kept in three classes, a / e i y / o u w, repeats collapsed ("Qaeda" =
//! "Qaida" → `qaida`, "Fayez" = "Faiz" → `faiz`, but "Iran" → `iran` ≠ "Iron"
//! → `irun` ≠ "Oran" → `oran`). Short forms are still linked inside an article (see `recognize.rs`), where the
//! full name they abbreviate makes the match safe.
//!
//! Acronyms and short all-capital words (2–6 capitals: "ISIL", "CDV", "IRAN")
//! key by spelling, never by skeleton, and an initial in a name stays a marked
//! letter ("G Duffy" is not "Gaddafi").
//!
//! Two different names can still share a strong key (the group Hamas and the
//! city Homs both give `hms`); keys are therefore only ever compared within one
//! entity type, and a user can declare names different in `newsdex.toml`.
//!
//! May import: other files of `names`, nothing else of the crate.

/// Where a small word of names counts as what (general language knowledge, not names).
#[derive(Clone, Copy)]
struct Particle {
    word: &'static str,
    /// Dropped from a name before keying: it comes and goes between spellings.
    linker: bool,
    /// Also skipped in running text by the spelling analyser. Narrower than `linker`:
    /// there the list runs over all text, where the assimilated Arabic article ("at",
    /// "as", "ash") and "de", "du", "ben" are common words, and a skipped word takes no
    /// position, so a longer list would let a two-word name match two words with one of
    /// them between ("Khan Yunis" in "Khan at Yunis").
    in_text: bool,
    /// Stands inside an Arabic, Persian or Urdu personal name ("Osama bin Laden",
    /// "Anwaar-ul-Haq", "Abu Bakr"): the recogniser joins a name split at it.
    in_name: bool,
    /// Only ever joins a personal name ("bin", "ul"): a name split at it is a person's.
    personal: bool,
}

const fn p(
    word: &'static str,
    linker: bool,
    in_text: bool,
    in_name: bool,
    personal: bool,
) -> Particle {
    Particle {
        word,
        linker,
        in_text,
        in_name,
        personal,
    }
}

/// The one list of particles and linkers: Arabic articles and their assimilated forms,
/// Arabic, Persian and Urdu name particles, Persian/Arabic "va"/"wa" (and), and the
/// English, French and German joiners "and", "of", "the", "de", "der", "du".
const PARTICLES: &[Particle] = &[
    //  word     linker in_text in_name personal
    p("al", true, true, true, false),
    p("el", true, true, true, false),
    p("ul", true, true, true, true),
    p("ud", true, true, true, true),
    p("ad", true, false, false, false),
    p("ar", true, false, false, false),
    p("as", true, false, false, false),
    p("ash", true, false, false, false),
    p("at", true, false, false, false),
    p("az", true, false, false, false),
    p("bin", true, true, true, true),
    p("ibn", true, true, true, true),
    p("ben", true, false, false, false),
    p("bint", true, false, true, true),
    p("abu", false, false, true, false),
    p("abd", false, false, true, false),
    p("and", true, true, false, false),
    p("of", true, true, false, false),
    p("the", true, true, false, false),
    p("de", true, false, false, false),
    p("der", true, false, false, false),
    p("du", true, false, false, false),
    p("va", true, true, false, false),
    p("wa", true, true, false, false),
];

fn particle(word: &str) -> Option<&'static Particle> {
    PARTICLES.iter().find(|p| p.word == word)
}

/// Whether a lower-case word is dropped from a name before keying.
pub fn is_linker(word: &str) -> bool {
    particle(word).is_some_and(|p| p.linker)
}

/// A word without the article or particle fused to its front by a hyphen ("el-Sisi" →
/// "Sisi", "al-Zawahiri" → "Zawahiri"): the form a surname takes when written alone.
pub fn strip_article(word: &str) -> &str {
    match word.split_once('-') {
        // asked of every capitalised word while recognising: compared without lower-casing
        // into a new string (a non-ASCII word is no particle either way)
        Some((head, rest))
            if !rest.is_empty()
                && PARTICLES
                    .iter()
                    .any(|p| p.linker && head.eq_ignore_ascii_case(p.word)) =>
        {
            rest
        }
        _ => word,
    }
}

/// Whether a word of running text (any case) is a linker the spelling analyser skips.
pub fn is_text_linker(word: &str) -> bool {
    // asked of every word of every passage: most are longer than any linker
    word.len() <= LONGEST_TEXT_LINKER
        && PARTICLES
            .iter()
            .any(|p| p.in_text && word.eq_ignore_ascii_case(p.word))
}

/// Bytes in the longest particle skipped in running text.
const LONGEST_TEXT_LINKER: usize = {
    let (mut i, mut longest) = (0, 0);
    while i < PARTICLES.len() {
        if PARTICLES[i].in_text && PARTICLES[i].word.len() > longest {
            longest = PARTICLES[i].word.len();
        }
        i += 1;
    }
    longest
};

/// Whether a word as written (lower case) is a particle inside a personal name.
pub fn is_name_particle(word: &str) -> bool {
    particle(word).is_some_and(|p| p.in_name)
}

/// Whether a word as written (lower case) only ever joins a personal name.
pub fn is_personal_particle(word: &str) -> bool {
    particle(word).is_some_and(|p| p.personal)
}

/// Titles and honorifics that stand before a person's name but are not part of it:
/// general English usage, military ranks, and the titles of Arabic, Persian, South Asian
/// and royal address. Evidence that a person is meant, never part of the name.
const TITLES: &[&str] = &[
    "Mr",
    "Mr.",
    "Mrs",
    "Mrs.",
    "Ms",
    "Ms.",
    "Dr",
    "Dr.",
    "Mayor",
    "President",
    "Colonel",
    "Col.",
    "General",
    "Gen.",
    "Marshal",
    "Admiral",
    "Adm.",
    "Captain",
    "Capt.",
    "Major",
    "Maj.",
    "Lieutenant",
    "Lt",
    "Lt.",
    "Brigadier",
    "Brig.",
    "Commander",
    "Sergeant",
    "Sgt.",
    "Sheikh",
    "Shaikh",
    "Sayyed",
    "Sayyid",
    "Mullah",
    "Maulana",
    "Haji",
    "Hajji",
    "King",
    "Queen",
    "Prince",
    "Princess",
    "Senator",
    "Sen.",
    "Rep.",
    "Judge",
    "Justice",
    "Minister",
    "Premier",
    "Chancellor",
    "Governor",
    "Gov.",
    "Ambassador",
    "Ayatollah",
    "Imam",
    "Emir",
    "Amir",
    "Sultan",
    "Pope",
    "Cardinal",
    "Archbishop",
    "Bishop",
    "Rabbi",
    "Reverend",
    "Rev.",
    "Lord",
    "Sir",
    "Dame",
    "Professor",
    "Prof.",
];

/// Two-word titles whose first word alone is not one ("Field Marshal Haftar", "Crown
/// Prince Mohammed"), or that name an office ("Prime Minister", "Vice President").
const TITLE_PAIRS: &[(&str, &str)] = &[
    ("Field", "Marshal"),
    ("Air", "Marshal"),
    ("Crown", "Prince"),
    ("Grand", "Ayatollah"),
    ("Supreme", "Leader"),
    ("Prime", "Minister"),
    ("Foreign", "Minister"),
    ("Vice", "President"),
    ("Secretary", "General"),
];

/// Titles of royal and princely address: after one of these a single name is a given
/// name ("King Hussein", "Prince Harry"), not a surname to link to a commoner's full name.
const ROYAL_TITLES: &[&str] = &[
    "King", "Queen", "Prince", "Princess", "Emir", "Amir", "Sultan", "Pope",
];

/// Whether a word as written is a title or honorific before a person's name.
pub fn is_title(word: &str) -> bool {
    TITLES.contains(&word)
}

/// How many of `words` (as written, from the first) form a title: 2 for a two-word
/// title, 1 for a one-word title, 0 when the first word is none.
pub fn title_len(words: &[&str]) -> usize {
    match words {
        [a, b, ..] if TITLE_PAIRS.contains(&(a, b)) => 2,
        [a, ..] if is_title(a) => 1,
        _ => 0,
    }
}

/// Whether a word as written is a royal title, after which a single name is a given name.
pub fn is_royal_title(word: &str) -> bool {
    ROYAL_TITLES.contains(&word)
}

/// The `name_keys` term of a name recorded as an entity of a kind (`person`, `place`,
/// `org`), from its [`name_key`]: `kind:key`.
pub fn entity_term(kind: &str, key: &str) -> String {
    format!("{kind}:{key}")
}

/// The `name_keys` term by which a person named in full is found from the [`name_key`]
/// of the surname alone: `person~key`.
pub fn surname_term(key: &str) -> String {
    format!("person~{key}")
}

/// Every `name_keys` term a recorded entity of a kind is found by: `kind:key` of its
/// name; for a person named in full also `person~key` of the surname (one-word queries
/// look it up), and for a person of three words or more `person:key` of the first and
/// last words, the short form news uses for "Bijan Namdar Zanganeh" ("Bijan Zanganeh").
pub fn entity_terms(kind: &str, name: &str) -> Vec<String> {
    let mut terms = vec![entity_term(kind, &name_key(name))];
    if kind == "person" {
        if let Some(last) = surname(name) {
            terms.push(surname_term(&name_key(last)));
        }
        let words: Vec<&str> = name.split(' ').collect();
        if let [first, _, .., last] = words.as_slice() {
            let short = entity_term(kind, &name_key(&format!("{first} {last}")));
            if !terms.contains(&short) {
                terms.push(short);
            }
        }
    }
    terms
}

/// The last word of a name of several words (the surname of a person's full name).
pub fn surname(name: &str) -> Option<&str> {
    name.rsplit_once(' ').map(|(_, last)| last)
}

/// The key of a name: equal keys mean "spelling variants of one name".
pub fn name_key(name: &str) -> String {
    if let Some(acronym) = acronym(name) {
        return acronym;
    }
    let words = words(name);
    let skeletons: Vec<String> = words.iter().map(|w| skeleton(w, false)).collect();
    let consonants: usize = skeletons
        .iter()
        .zip(&words)
        .filter(|(_, w)| w.len() > 1)
        .map(|(s, _)| s.chars().filter(|c| *c != 'V').count())
        .sum();
    if consonants >= 4 || (consonants >= 3 && words.len() >= 2) {
        // joined without spaces, so "Amirabdollahian" = "Amir-Abdollahian"; an
        // initial stays marked, so "G Duffy" is not "Gaddafi"
        let mut key = String::new();
        for (i, (sk, word)) in skeletons.iter().zip(&words).enumerate() {
            if word.len() == 1 {
                key.push('.');
                key.push_str(word);
                key.push('.');
                continue;
            }
            let sk = if i > 0 {
                sk.trim_start_matches('V')
            } else {
                sk.as_str()
            };
            for c in sk.chars() {
                if !key.ends_with(c) {
                    key.push(c);
                }
            }
        }
        key
    } else {
        format!(
            "={}",
            words
                .iter()
                .map(|w| skeleton(w, true))
                .collect::<Vec<_>>()
                .join(" ")
        )
    }
}

/// A word of 2–6 capitals is an acronym or a headline word ("FARC", "CDV", "IRAN"): it keys
/// by its spelling, never by a skeleton, which on capitals means nothing.
fn acronym(name: &str) -> Option<String> {
    let name = name.trim();
    let letters = name.chars().filter(|c| c.is_ascii_alphabetic()).count();
    let is_acronym = (2..=6).contains(&letters)
        && name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '.' || c == '&');
    is_acronym.then(|| {
        let letters: String = name.chars().filter(char::is_ascii_alphanumeric).collect();
        format!("={}", skeleton(&letters.to_lowercase(), true))
    })
}

/// The two keys of one capitalised word of running text: its consonant skeleton (for
/// phrases of several words, where the other words keep the match precise) and its
/// spelling key (for a word on its own); an acronym gets its spelling key for both.
pub fn word_keys(word: &str) -> (String, String) {
    if let Some(acronym) = acronym(word) {
        return (acronym.clone(), acronym);
    }
    let folded = deunicode::deunicode(word).to_lowercase();
    let folded: String = folded.chars().filter(char::is_ascii_alphanumeric).collect();
    (skeleton(&folded, false), skeleton(&folded, true))
}

/// Whether a word's skeleton alone is distinctive enough to match on (four consonants:
/// "Nasrallah", not "Reagan", whose skeleton `rkn` "Regan", "Rogaine" and "Region" share).
pub fn is_distinctive(skeleton: &str) -> bool {
    skeleton.chars().filter(|c| *c != 'V').count() >= 4
}

/// Whether two single words may be the same name word: same key, or same skeleton
/// when both are weak ("Faiz" ~ "Fayez" ~ "Vaez"). Used only inside one article.
pub fn words_match(a: &str, b: &str) -> bool {
    word_match_key(a).is_some_and(|k| word_match_key(b) == Some(k))
}

/// What [`words_match`] compares: the consonant skeleton of a name that is one word once
/// its linkers are dropped ("el-Sisi" and "Sisi" alike), or `None` for a longer name.
pub fn word_match_key(word: &str) -> Option<String> {
    match words(word).as_slice() {
        [one] => Some(skeleton(one, false)).filter(|k| !k.is_empty()),
        _ => None,
    }
}

/// Whether `c` is an apostrophe or one of the letters that transliterate the Arabic ayn
/// and hamza ("Qa'ida", "Qaʿida", "Shi’ite"): inside a word it is not a word break.
pub fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '\'' | '\u{2019}' | '\u{2018}' | '\u{02BC}' | '\u{02BB}' | '\u{02BE}' | '\u{02BF}' | '`'
    )
}

/// Calls `found(start, end)` for every word of `text`: a run of letters and digits, kept
/// whole across an apostrophe between two letters ("Qa'ida" is one word, spelled like
/// "Qaida"), but not across an English possessive ("Pakistan's": the word "Pakistan",
/// then "s"). The one word splitter of names, for keys, the index and the query side.
pub fn name_words(text: &str, mut found: impl FnMut(usize, usize)) {
    let mut start: Option<usize> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c.is_alphanumeric() {
            start.get_or_insert(i);
            continue;
        }
        if let Some(s) = start {
            if is_apostrophe(c) {
                let next = chars.peek().map(|&(_, n)| n);
                let possessive = matches!(next, Some('s' | 'S')) && {
                    let after = text[i + c.len_utf8()..].chars().nth(1);
                    !after.is_some_and(char::is_alphanumeric)
                };
                if next.is_some_and(char::is_alphanumeric) && !possessive {
                    continue;
                }
            }
            found(s, i);
            start = None;
        }
    }
    if let Some(s) = start {
        found(s, text.len());
    }
}

/// Folded, lower-cased words of a name without linkers.
fn words(name: &str) -> Vec<String> {
    let mut all: Vec<String> = Vec::new();
    name_words(name, |s, e| {
        let folded = deunicode::deunicode(&name[s..e]).to_lowercase();
        // transliteration can itself yield separators ("Ng" stays, "ß" -> "ss")
        all.extend(
            folded
                .split(|c: char| !c.is_ascii_alphanumeric() && !is_apostrophe(c))
                .map(|w| {
                    w.chars()
                        .filter(char::is_ascii_alphanumeric)
                        .collect::<String>()
                })
                .filter(|w| !w.is_empty()),
        );
    });
    let kept: Vec<String> = all.iter().filter(|w| !is_linker(w)).cloned().collect();
    if kept.is_empty() {
        all
    } else {
        kept
    }
}

/// The consonant skeleton of one folded, lower-cased word; `weak` keeps the first
/// letter as written and every run of vowels as `V`, for words too short to key safely.
fn skeleton(word: &str, weak: bool) -> String {
    let b = word.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(b.len());
    let mut i = 0;
    if weak && !b.is_empty() {
        out.push(b[0]);
        i = 1;
    }
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        let (mapped, step) = match (c, next) {
            (b'k', Some(b'h')) => (Some(b'h'), 2),
            (b'g', Some(b'h')) => (Some(b'k'), 2),
            (b'p', Some(b'h')) => (Some(b'f'), 2),
            (b't', Some(b'h')) => (Some(b't'), 2),
            (b'd', Some(b'h')) => (Some(b'd'), 2),
            (b's', Some(b'h')) => (Some(b's'), 2),
            (b't', Some(b'c')) if b.get(i + 2) == Some(&b'h') => (Some(b'c'), 3),
            (b'c', Some(b'h')) => (Some(b'c'), 2),
            (b'c', Some(b'k')) => (Some(b'k'), 2),
            (b'd', Some(b'j')) => (Some(b'j'), 2),
            (b'z', Some(b'h')) => (Some(b'j'), 2),
            (b'd', Some(b'z')) => (Some(b'd'), 2),
            (b'q' | b'c' | b'g', _) => (Some(b'k'), 1),
            (b'v', _) => (Some(b'f'), 1),
            (b'x', _) => (Some(b'k'), 1),
            (b'a', _) if weak => (Some(b'a'), 1),
            (b'e' | b'i', _) if weak => (Some(b'i'), 1),
            (b'o' | b'u', _) if weak => (Some(b'u'), 1),
            (b'y', _) if i > 0 && weak => (Some(b'i'), 1),
            (b'w', _) if i > 0 && weak => (Some(b'u'), 1),
            (b'a' | b'e' | b'i' | b'o' | b'u', _) => (if i == 0 { Some(b'V') } else { None }, 1),
            (b'y' | b'w', _) if i > 0 => (None, 1),
            (b'h', _) if i > 0 && !matches!(out.last(), None | Some(b'V')) && next.is_none() => {
                (None, 1)
            }
            _ => (Some(c), 1),
        };
        if let Some(m) = mapped {
            if out.last() != Some(&m) {
                out.push(m);
            }
        }
        i += step;
    }
    String::from_utf8(out).expect("ASCII in, ASCII out")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn particle_flags_nest() {
        // a word skipped in running text is also dropped from a key, or the text side
        // and the name side would key "Sistan and Baluchestan" differently
        for p in PARTICLES {
            assert!(
                !p.in_text || p.linker,
                "{} skipped in text but keyed",
                p.word
            );
            assert!(
                !p.personal || p.in_name,
                "{} personal but not in a name",
                p.word
            );
        }
        assert!(is_text_linker("Al") && is_linker("al") && !is_linker("Al"));
        assert!(is_linker("ash") && !is_text_linker("ash"));
        assert!(is_personal_particle("bin") && !is_personal_particle("al"));
        assert!(is_name_particle("abu") && !is_linker("abu"));
    }

    fn same(a: &str, b: &str) -> bool {
        name_key(a) == name_key(b)
    }

    #[test]
    fn variants_share_a_key() {
        let groups: &[&[&str]] = &[
            &["Ali Vaez", "Ali Fayez", "Ali Faiz", "ALI VAEZ"],
            &[
                "Anwaar-ul-Haq Kakar",
                "Anwar Haq Kakar",
                "Anwar ul Haq Kakar",
            ],
            &[
                "Sistan-Baluchestan",
                "Sistan and Baluchestan",
                "Sistan-Baluchistan",
                "Sīstān va Balūchestān",
            ],
            &[
                "Muammar Gaddafi",
                "Muammar Qaddafi",
                "Moammar Gadhafi",
                "Mouammar Kadhafi",
                "Muammar Qadhafi",
            ],
            &["Hezbollah", "Hizbollah", "Hizballah"],
            &["al-Qaeda", "al-Qaida", "Al Qaeda", "al-Qa'ida", "al-Qa’ida"],
            &["Bijan Zanganeh", "Bizhan Zanganeh"],
            &["Usama bin Ladin", "Usama bin Laden", "Usama Bin Laden"],
            &["Jaish al-Adl", "Jaish al Adl", "Jaish-ul-Adl"],
            &[
                "International Crisis Group",
                "the International Crisis Group",
            ],
            &["Amirabdollahian", "Amir-Abdollahian", "Amir Abdollahian"],
        ];
        for group in groups {
            for pair in group.windows(2) {
                assert!(
                    same(pair[0], pair[1]),
                    "{} ({}) vs {} ({})",
                    pair[0],
                    name_key(pair[0]),
                    pair[1],
                    name_key(pair[1])
                );
            }
        }
    }

    #[test]
    fn look_alikes_stay_apart() {
        let pairs = [
            ("Iran", "Oman"),
            ("Iran", "Iraq"),
            ("Syed Rifaat Hussain", "Saddam Hussein"),
            ("Ali Vaez", "Ali Khan"),
            ("Austria", "Australia"),
            ("Mumbai", "Mombasa"),
            ("Jordan", "Sudan"),
            ("Hamas", "Hamid"),
            ("Karachi", "Kirkuk"),
            ("Reagan", "Regan"),
            ("Reagan", "Rogaine"),
            ("Reagan", "Roy Keane"),
        ];
        for (a, b) in pairs {
            assert!(
                !same(a, b),
                "{a} ({}) vs {b} ({})",
                name_key(a),
                name_key(b)
            );
        }
    }

    #[test]
    fn acronyms_and_initials_are_not_skeletons() {
        assert_eq!(name_key("CDV"), "=cdf");
        assert!(same("IRAN", "Iran"));
        assert!(!same("G Duffy", "Gaddafi"));
        assert!(!same("CADAFE", "Gaddafi"));
        assert!(
            same("HEZBOLLAH", "Hizballah"),
            "a long all-caps word is a headline, not an acronym"
        );
        assert!(same("J. Smith", "J Smith"));
    }

    #[test]
    fn weak_keys_keep_the_spelling() {
        assert_eq!(name_key("Iran"), "=iran");
        assert!(!same("Iran", "Iron"));
        assert!(!same("Iran", "Irwin"));
        assert!(same("Fayez", "Faiz"));
        assert!(!same("Oman", "Amman"));
        assert!(same("Iran", "IRAN"));
        assert!(!same("Iran", "Oran"));
        assert!(words_match("Faiz", "Fayez"));
        assert!(words_match("Vaez", "Faiz"));
        assert!(!words_match("Faiz", "Khan"));
    }
}
