//! Reading a province's file safely: only regular files (a symlink only when it points to
//! one), at most a size cap, and never blocking on a FIFO or a device.

use std::fs::{File, Metadata, OpenOptions};
use std::io::Read;
use std::path::Path;

use crate::domain::Text;

/// The largest dossier or submission file read, in bytes (4 MiB). A dossier is a few
/// kilobytes of text; the longest allowed one (eleven texts of 5,000 characters) is under
/// 200 KB. Anything near the cap is not a dossier.
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// Why a file was not read.
#[derive(Debug)]
pub enum ReadError {
    /// Not a regular file (a FIFO, a device, a socket, a folder), or a symlink to one.
    NotRegular {
        what: Text,
    },
    /// Larger than the cap (bytes).
    TooLarge {
        size: u64,
        cap: u64,
    },
    Io(std::io::Error),
}

impl From<std::io::Error> for ReadError {
    fn from(e: std::io::Error) -> Self {
        ReadError::Io(e)
    }
}

/// What kind of file `meta` describes, in both languages ("a FIFO (named pipe)" …).
fn kind(meta: &Metadata) -> Text {
    let t = meta.file_type();
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return Text::new("命名管道（FIFO）", "a FIFO (named pipe)");
        }
        if t.is_char_device() {
            return Text::new("字符设备", "a character device");
        }
        if t.is_block_device() {
            return Text::new("块设备", "a block device");
        }
        if t.is_socket() {
            return Text::new("套接字", "a socket");
        }
    }
    if t.is_dir() {
        return Text::new("文件夹", "a folder");
    }
    if t.is_symlink() {
        return Text::new("符号链接", "a symbolic link");
    }
    Text::new("特殊文件", "a special file")
}

fn not_regular(path: &Path, target: &Metadata) -> ReadError {
    let what = kind(target);
    let via_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    ReadError::NotRegular {
        what: if via_link {
            Text::new(
                format!("指向{}的符号链接", what.zh),
                format!("a symbolic link to {}", what.en),
            )
        } else {
            what
        },
    }
}

/// Read at most `cap` bytes of the regular file at `path`. The type and size are checked
/// before reading; the file is opened without blocking (a FIFO swapped in after the check
/// does not hang the reader) and checked again on the open handle; at most `cap + 1` bytes are
/// read, so a file that grows while read is refused too.
pub fn read_capped(path: &Path, cap: u64) -> Result<Vec<u8>, ReadError> {
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(not_regular(path, &meta));
    }
    if meta.len() > cap {
        return Err(ReadError::TooLarge {
            size: meta.len(),
            cap,
        });
    }
    let file = open_nonblocking(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(not_regular(path, &meta));
    }
    let mut bytes = Vec::with_capacity(meta.len().min(cap) as usize + 1);
    file.take(cap + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > cap {
        return Err(ReadError::TooLarge {
            size: bytes.len() as u64,
            cap,
        });
    }
    Ok(bytes)
}

fn open_nonblocking(path: &Path) -> std::io::Result<File> {
    let mut opts = OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting;
        // O_NOCTTY: a terminal device never becomes the controlling terminal.
        opts.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    opts.open(path)
}

/// A path as text, byte-exact: valid UTF-8 as it is, every other byte as `\xNN`. Unlike
/// `Path::display`, two different names never show alike.
pub fn path_text(path: &Path) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let bytes = path.as_os_str().as_bytes();
        let mut out = String::with_capacity(bytes.len());
        for chunk in bytes.utf8_chunks() {
            out.push_str(chunk.valid());
            for b in chunk.invalid() {
                out.push_str(&format!("\\x{b:02X}"));
            }
        }
        out
    }
    #[cfg(not(unix))]
    {
        path.display().to_string()
    }
}

/// Whether the last part of `path` is valid UTF-8.
pub fn name_is_utf8(path: &Path) -> bool {
    path.file_name().is_none_or(|n| n.to_str().is_some())
}

/// The message of a [`ReadError`] for `file` (its display form), and the fix.
/// Why the system refused a read, in both languages (the system's own message is English
/// only: it stays in the English text, the Chinese one names the kind and the code).
pub fn io_reason(e: &std::io::Error) -> Text {
    use std::io::ErrorKind as K;
    let zh = match e.kind() {
        K::NotFound => "文件不存在（可能是指向不存在文件的链接）",
        K::PermissionDenied => "没有读取权限",
        K::IsADirectory => "这是文件夹，不是文件",
        K::InvalidData | K::InvalidInput => "内容无法读取",
        K::Interrupted | K::TimedOut | K::WouldBlock => "读取被中断，请重试",
        K::OutOfMemory => "内存不足",
        _ => "系统拒绝读取",
    };
    let zh = match e.raw_os_error() {
        Some(code) => format!("{zh}（系统错误 {code}）"),
        None => zh.to_string(),
    };
    Text::new(zh, e.to_string())
}

pub fn describe(e: &ReadError, file: &str) -> (Text, Text) {
    match e {
        ReadError::NotRegular { what } => (
            Text::new(
                format!("{file} 是{}，不是普通文件：未读取", what.zh),
                format!("{file} is {}, not a regular file: not read", what.en),
            ),
            Text::new(
                "只报送普通的 .toml 文本文件；删除或移走该项",
                "send plain .toml text files only; remove or move this one",
            ),
        ),
        ReadError::TooLarge { size, cap } => (
            Text::new(
                format!("{file} 有 {size} 字节，超过上限 {cap} 字节（4 MiB）：未读取"),
                format!("{file} has {size} bytes, over the limit of {cap} bytes (4 MiB): not read"),
            ),
            Text::new(
                "申报书是几千字的文本：检查是否放错了文件（如附件、图片）",
                "a dossier is a few thousand characters of text: check it is the right file (not an attachment or image)",
            ),
        ),
        ReadError::Io(e) => (
            {
                let why = io_reason(e);
                Text::new(
                    format!("无法读取文件 {file}：{}", why.zh),
                    format!("cannot read the file {file}: {}", why.en),
                )
            },
            Text::new(
                "检查文件是否存在、是否有读取权限",
                "check the file exists and may be read",
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_files_are_read_and_large_ones_refused() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.toml");
        std::fs::write(&p, b"x = 1\n").unwrap();
        assert_eq!(read_capped(&p, 16).unwrap(), b"x = 1\n");
        assert!(matches!(
            read_capped(&p, 3),
            Err(ReadError::TooLarge { size: 6, cap: 3 })
        ));
        assert!(matches!(
            read_capped(dir.path(), 16),
            Err(ReadError::NotRegular { .. })
        ));
    }

    #[cfg(unix)]
    #[test]
    fn non_utf8_names_are_escaped_byte_exact() {
        use std::os::unix::ffi::OsStrExt;
        let p = Path::new(std::ffi::OsStr::from_bytes(
            b"dir/\xC4\xE3\xBA\xC3-\xE5\x8C\x97.toml",
        ));
        assert_eq!(path_text(p), "dir/\\xC4\\xE3\\xBA\\xC3-北.toml");
        assert!(!name_is_utf8(p));
        assert!(name_is_utf8(Path::new("北京/a.toml")));
    }
}
