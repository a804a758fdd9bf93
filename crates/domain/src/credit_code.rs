//! The unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters, the last a
//! check character computed from the first 17.

const ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// Why a credit code is not valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CreditCodeError {
    Length(usize),
    Character { position: usize, found: char },
    Check { expected: char, found: char },
}

fn value(c: char) -> Option<u32> {
    ALPHABET.find(c).map(|i| i as u32)
}

/// The check character for the first 17 characters, or `None` if one of them is not allowed.
pub fn check_char(first17: &str) -> Option<char> {
    let mut sum = 0;
    for (c, w) in first17.chars().zip(WEIGHTS) {
        sum += value(c)? * w;
    }
    let c = (31 - sum % 31) % 31;
    ALPHABET.chars().nth(c as usize)
}

/// Validate a code (already NFKC-folded and upper-cased by the caller).
pub fn validate(code: &str) -> Result<(), CreditCodeError> {
    let chars: Vec<char> = code.chars().collect();
    if chars.len() != 18 {
        return Err(CreditCodeError::Length(chars.len()));
    }
    if let Some((i, &c)) = chars.iter().enumerate().find(|(_, c)| value(**c).is_none()) {
        return Err(CreditCodeError::Character {
            position: i + 1,
            found: c,
        });
    }
    let first17: String = chars[..17].iter().collect();
    let expected = check_char(&first17).unwrap_or('?');
    if expected != chars[17] {
        return Err(CreditCodeError::Check {
            expected,
            found: chars[17],
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_valid_codes() {
        // Published codes of real organisations.
        for code in [
            "91110000600037341L",
            "91350100M000100Y43",
            "11100000000013127D",
        ] {
            assert_eq!(validate(code), Ok(()), "{code}");
        }
    }

    #[test]
    fn errors_say_what_is_wrong() {
        assert_eq!(
            validate("9111000060003734"),
            Err(CreditCodeError::Length(16))
        );
        assert_eq!(
            validate("91110000600037341I"),
            Err(CreditCodeError::Character {
                position: 18,
                found: 'I'
            })
        );
        assert_eq!(
            validate("91110000600037341M"),
            Err(CreditCodeError::Check {
                expected: 'L',
                found: 'M'
            })
        );
    }
}
