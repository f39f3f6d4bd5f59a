// zip_archive: a model folder brought as one .zip file (the page's drop and picker, and
// `spexlens-explain --model FOLDER.zip`), read without trusting it. The archive is read through
// a callback, so a front end never copies the whole file into memory: the central directory is
// parsed and checked once, and only the files a model needs are inflated, one at a time, each
// bounded by the size the directory declares and checked against its CRC-32.
//
// Refused with a message a user can act on (text_error): no central directory, an archive split
// over several files, encrypted entries, compression other than stored / deflate, paths that
// leave the folder (absolute, "..", drive letters), duplicate paths, entries whose data overlap
// (the "overlapping files" zip bomb), more entries or a larger directory than the limits,
// an entry larger than max_entry_bytes or compressed beyond what deflate can reach (a zip bomb),
// data longer or shorter than declared, a CRC mismatch. Zip64 sizes and offsets are read.
// Directory entries, macOS's __MACOSX/ and .DS_Store are skipped; when every entry sits under
// one top folder ("spam-bert/config.json"), that folder is taken off the paths, as for a
// folder picked in the page.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace spexlens::text {

// Reads `length` bytes of the archive starting at `offset` (offset + length never exceeds the
// size given to zip_archive). Front ends read a file, a Blob or a buffer.
using zip_read_fn = std::function<std::string(uint64_t offset, size_t length)>;

// What an archive may hold before it is refused.
struct zip_limits {
    size_t   max_entries         = 10000;        // files and folders listed in the directory
    uint64_t max_directory_bytes = 16u << 20;    // the central directory itself
    uint64_t max_entry_bytes     = 1536u << 20;  // one file, uncompressed (WebAssembly has 2 GiB)
};

// One file of the archive.
struct zip_entry {
    std::string path;                 // relative, "/"-separated, the top folder (if any) taken off
    uint64_t    size            = 0;  // uncompressed, as the directory declares
    uint64_t    compressed_size = 0;
    uint64_t    local_offset    = 0;  // of its local header
    uint32_t    crc32           = 0;
    uint16_t    method          = 0;  // 0 stored, 8 deflate (anything else is refused on extract)
};

class zip_archive {
  public:
    // Reads and checks the central directory of an archive of `archive_size` bytes. Throws
    // text_error when it is not a zip archive or breaks a rule above.
    zip_archive(uint64_t archive_size, zip_read_fn read, zip_limits limits = {});

    // The files, in directory order.
    const std::vector<zip_entry> & entries() const { return entries_; }

    // The top folder every entry sat under ("" when there was none).
    const std::string & folder() const { return folder_; }

    // The entry with this path, or nullptr.
    const zip_entry * find(const std::string & path) const;

    // The uncompressed bytes of the file at `path`. Throws text_error when there is no such
    // file, it is too large, its compression is not supported, or its data are damaged.
    std::string extract(const std::string & path) const;

  private:
    uint64_t               size_;
    zip_read_fn            read_;
    zip_limits             limits_;
    uint64_t               directory_offset_ = 0;  // no entry's data may reach past it
    std::string            folder_;
    std::vector<zip_entry> entries_;
};

}  // namespace spexlens::text
