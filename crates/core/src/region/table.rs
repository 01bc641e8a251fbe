//! Reads one level of the embedded region data (format: tools/regions/regenerate.mjs). Names
//! are borrowed from the embedded text; full codes are rebuilt once into one string, because
//! the data stores each code relative to its parent group to stay small.

use std::sync::OnceLock;

/// One level's parsed entries, built on first use and kept for the life of the program.
pub(super) struct Table<T: 'static> {
    /// Every full code of the level, back to back; each is `code_len` bytes long.
    codes: OnceLock<String>,
    entries: OnceLock<Vec<T>>,
}

impl<T> Table<T> {
    pub(super) const fn new() -> Self {
        Table {
            codes: OnceLock::new(),
            entries: OnceLock::new(),
        }
    }

    /// The entries of `text`, sorted by code as the data file is. `make` builds one entry from
    /// its full code and its name.
    pub(super) fn get(
        &'static self,
        text: &'static str,
        code_len: usize,
        make: fn(&'static str, &'static str) -> T,
    ) -> &'static [T] {
        self.entries.get_or_init(|| {
            let (codes, names) = parse(text, code_len);
            let codes: &'static str = self.codes.get_or_init(|| codes);
            names
                .into_iter()
                .enumerate()
                .map(|(i, name)| make(&codes[i * code_len..(i + 1) * code_len], name))
                .collect()
        })
    }
}

/// Splits the text into full codes (concatenated) and names. Each `LOCAL\tNAME` line belongs
/// to the group opened by the last line without a tab; a level without groups (provinces)
/// has none.
fn parse(text: &'static str, code_len: usize) -> (String, Vec<&'static str>) {
    let lines = text.lines().filter(|line| line.contains('\t')).count();
    let mut codes = String::with_capacity(lines * code_len);
    let mut names = Vec::with_capacity(lines);
    let mut group = "";
    for line in text.lines() {
        match line.split_once('\t') {
            Some((local, name)) => {
                if !group.is_empty() {
                    codes.push_str(group);
                    codes.push('.');
                }
                codes.push_str(local);
                names.push(name);
                // The generator checks every code's shape; this only guards against a
                // hand-edited file shifting every later code.
                debug_assert_eq!(codes.len(), names.len() * code_len, "bad line {line:?}");
            }
            None => group = line,
        }
    }
    (codes, names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_joined_to_their_group() {
        let (codes, names) = parse("11.01\n01\tBakongan\n02\tKluet Utara\n11.02\n01\tX\n", 8);
        assert_eq!(codes, "11.01.0111.01.0211.02.01");
        assert_eq!(names, ["Bakongan", "Kluet Utara", "X"]);
    }

    #[test]
    fn a_level_without_groups_keeps_its_codes() {
        let (codes, names) = parse("11\tAceh\n12\tSumatera Utara\n", 2);
        assert_eq!(codes, "1112");
        assert_eq!(names, ["Aceh", "Sumatera Utara"]);
    }
}
