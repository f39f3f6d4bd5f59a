// zip_archive: reading a model folder brought as a .zip file (see zip_archive.h). The format is
// PKWARE's APPNOTE.TXT (6.3.x): end of central directory record, its Zip64 locator and record,
// central directory headers, local headers. Inflation is zlib's raw deflate.
//
// Index of this file:
// [SECTION] Little-endian fields and messages
// [SECTION] End of central directory (and Zip64)
// [SECTION] Central directory
// [SECTION] Paths
// [SECTION] zip_archive

#include "text/zip_archive.h"

#include "text/text_error.h"
#include "text/utf8.h"

#include <algorithm>
#include <limits>
#include <map>
#include <zlib.h>

namespace spexlens::text {
namespace {

//-----------------------------------------------------------------------------
// [SECTION] Little-endian fields and messages
//-----------------------------------------------------------------------------

constexpr uint32_t sig_local     = 0x04034b50;
constexpr uint32_t sig_central   = 0x02014b50;
constexpr uint32_t sig_end       = 0x06054b50;
constexpr uint32_t sig_end64     = 0x06064b50;
constexpr uint32_t sig_locator64 = 0x07064b50;

constexpr size_t end_record_size   = 22;
constexpr size_t locator64_size    = 20;
constexpr size_t end64_record_size = 56;
constexpr size_t central_size      = 46;
constexpr size_t local_size        = 30;
constexpr size_t max_comment       = 0xFFFF;

// Deflate cannot compress better than about 1032:1; an entry declaring more is a zip bomb or lies.
constexpr uint64_t max_deflate_ratio = 1032;

uint16_t u16(const std::string & b, size_t at) {
    return static_cast<uint16_t>(static_cast<uint8_t>(b[at]) | (static_cast<uint8_t>(b[at + 1]) << 8));
}
uint32_t u32(const std::string & b, size_t at) {
    return static_cast<uint32_t>(u16(b, at)) | (static_cast<uint32_t>(u16(b, at + 2)) << 16);
}
uint64_t u64(const std::string & b, size_t at) {
    return static_cast<uint64_t>(u32(b, at)) | (static_cast<uint64_t>(u32(b, at + 4)) << 32);
}

[[noreturn]] void refuse(const std::string & what) { throw text_error("the zip archive " + what); }

[[noreturn]] void damaged(const std::string & what) {
    refuse("is damaged (" + what + "); zip the folder again, or open the folder itself");
}

std::string mib(uint64_t bytes) { return std::to_string((bytes + (1u << 20) - 1) >> 20) + " MiB"; }

// Reads exactly `length` bytes at `offset`, or says the archive is cut short.
std::string read_exact(const zip_read_fn & read, uint64_t size, uint64_t offset, uint64_t length, const char * what) {
    if (offset > size || length > size - offset)
        damaged(std::string(what) + " lies past the end of the file");
    std::string bytes = read(offset, static_cast<size_t>(length));
    if (bytes.size() != length)
        damaged(std::string("could not read ") + what);
    return bytes;
}

//-----------------------------------------------------------------------------
// [SECTION] End of central directory (and Zip64)
//-----------------------------------------------------------------------------

struct directory_location {
    uint64_t offset  = 0;  // of the central directory
    uint64_t size    = 0;
    uint64_t entries = 0;
    uint64_t end     = 0;  // where the records after the directory begin
};

directory_location locate_directory(const zip_read_fn & read, uint64_t size) {
    if (size < end_record_size)
        refuse("is not a zip archive (the file is too short)");
    const uint64_t    tail_size = std::min<uint64_t>(size, end_record_size + max_comment);
    const uint64_t    tail_at   = size - tail_size;
    const std::string tail      = read_exact(read, size, tail_at, tail_size, "the end of the archive");

    // The last end record whose comment fits the file (a comment may itself contain "PK\5\6").
    size_t at = std::string::npos;
    for (size_t i = tail.size() - end_record_size + 1; i-- > 0;) {
        if (u32(tail, i) == sig_end && i + end_record_size + u16(tail, i + 20) <= tail.size()) {
            at = i;
            break;
        }
    }
    if (at == std::string::npos) {
        refuse("is not a zip archive (no end of central directory record); choose the folder's .zip, or the folder");
    }
    const uint16_t     disk = u16(tail, at + 4), directory_disk = u16(tail, at + 6);
    directory_location where;
    where.entries = u16(tail, at + 10);
    where.size    = u32(tail, at + 12);
    where.offset  = u32(tail, at + 16);
    where.end     = tail_at + at;

    const bool zip64 = where.entries == 0xFFFF || where.size == 0xFFFFFFFF || where.offset == 0xFFFFFFFF ||
                       disk == 0xFFFF || directory_disk == 0xFFFF;
    if (zip64) {
        if (where.end < locator64_size)
            damaged("Zip64 fields without a Zip64 locator");
        const std::string locator =
            read_exact(read, size, where.end - locator64_size, locator64_size, "the Zip64 locator");
        if (u32(locator, 0) != sig_locator64)
            damaged("Zip64 fields without a Zip64 locator");
        if (u32(locator, 4) != 0 || u32(locator, 16) > 1) {
            refuse("is split over several files; join the parts (or zip the folder as one file)");
        }
        const uint64_t record_at = u64(locator, 8);
        if (record_at > where.end - locator64_size)
            damaged("the Zip64 record lies after its locator");
        const std::string record = read_exact(read, size, record_at, end64_record_size, "the Zip64 record");
        if (u32(record, 0) != sig_end64)
            damaged("no Zip64 end of central directory record where its locator points");
        if (u32(record, 16) != 0 || u32(record, 20) != 0) {
            refuse("is split over several files; join the parts (or zip the folder as one file)");
        }
        where.entries = u64(record, 32);
        where.size    = u64(record, 40);
        where.offset  = u64(record, 48);
        where.end     = record_at;
    } else if (disk != 0 || directory_disk != 0) {
        refuse("is split over several files; join the parts (or zip the folder as one file)");
    }
    if (where.offset > where.end || where.size > where.end - where.offset) {
        damaged("its central directory lies outside the file");
    }
    return where;
}

//-----------------------------------------------------------------------------
// [SECTION] Central directory
//-----------------------------------------------------------------------------

struct raw_entry {
    std::string name;  // as stored, sanitised to UTF-8
    uint16_t    flags = 0;
    zip_entry   entry;  // path still the stored name
    uint64_t    name_length = 0;
};

// The Zip64 extra field (id 1) carries the 64-bit values of the fields set to all ones, in order.
void read_zip64_extra(const std::string & extra, raw_entry & e, bool size64, bool compressed64, bool offset64) {
    for (size_t at = 0; at + 4 <= extra.size();) {
        const uint16_t id = u16(extra, at), length = u16(extra, at + 2);
        if (at + 4 + length > extra.size())
            damaged("an extra field runs past its header");
        if (id == 1) {
            size_t       p    = at + 4;
            const size_t stop = p + length;
            auto         take = [&](uint64_t & v) {
                if (p + 8 > stop)
                    damaged("a Zip64 extra field is too short");
                v = u64(extra, p);
                p += 8;
            };
            if (size64)
                take(e.entry.size);
            if (compressed64)
                take(e.entry.compressed_size);
            if (offset64)
                take(e.entry.local_offset);
            return;
        }
        at += 4 + length;
    }
    if (size64 || compressed64 || offset64)
        damaged("an entry has Zip64 sizes but no Zip64 extra field");
}

std::vector<raw_entry> read_directory(const std::string & dir, uint64_t count, size_t max_entries) {
    if (count > max_entries) {
        refuse("lists " + std::to_string(count) + " entries, more than the " + std::to_string(max_entries) +
               " a model folder can reasonably hold; zip only the model's folder");
    }
    std::vector<raw_entry> out;
    out.reserve(static_cast<size_t>(count));
    size_t at = 0;
    for (uint64_t i = 0; i < count; ++i) {
        if (at + central_size > dir.size() || u32(dir, at) != sig_central) {
            damaged("the central directory holds fewer entries than it declares");
        }
        raw_entry      e;
        const uint16_t name_length = u16(dir, at + 28), extra_length = u16(dir, at + 30),
                       comment_length = u16(dir, at + 32);
        if (at + central_size + name_length + extra_length + comment_length > dir.size()) {
            damaged("a central directory entry runs past the directory");
        }
        e.flags                    = u16(dir, at + 8);
        e.entry.method             = u16(dir, at + 10);
        e.entry.crc32              = u32(dir, at + 16);
        e.entry.compressed_size    = u32(dir, at + 20);
        e.entry.size               = u32(dir, at + 24);
        e.entry.local_offset       = u32(dir, at + 42);
        const uint16_t    disk     = u16(dir, at + 34);
        const std::string raw_name = dir.substr(at + central_size, name_length);
        if (raw_name.find('\0') != std::string::npos)
            refuse("has an entry whose name contains a NUL character");
        e.name        = sanitize_utf8(raw_name);
        e.name_length = name_length;
        read_zip64_extra(dir.substr(at + central_size + name_length, extra_length), e, e.entry.size == 0xFFFFFFFF,
                         e.entry.compressed_size == 0xFFFFFFFF, e.entry.local_offset == 0xFFFFFFFF);
        if (disk != 0 && disk != 0xFFFF)
            refuse("is split over several files; join the parts (or zip the folder as one file)");
        at += central_size + name_length + extra_length + comment_length;
        out.push_back(std::move(e));
    }
    return out;
}

//-----------------------------------------------------------------------------
// [SECTION] Paths
//-----------------------------------------------------------------------------

// The stored name as a relative "/" path, or "" for an entry to skip (a folder, macOS metadata).
// Refuses names that leave the folder.
std::string relative_path(std::string name) {
    std::replace(name.begin(), name.end(), '\\', '/');  // some Windows tools wrote backslashes
    if (name.empty() || name.back() == '/')
        return "";
    const bool drive = name.size() >= 2 && name[1] == ':' &&
                       ((name[0] >= 'A' && name[0] <= 'Z') || (name[0] >= 'a' && name[0] <= 'z'));
    if (name.front() == '/' || drive) {
        refuse("has an entry with an absolute path (\"" + name + "\"); spexlens only opens archives of one folder");
    }
    std::vector<std::string> parts;
    for (size_t start = 0; start <= name.size();) {
        const size_t      slash = std::min(name.find('/', start), name.size());
        const std::string part  = name.substr(start, slash - start);
        if (part == "..") {
            refuse("has an entry that points outside its folder (\"" + name + "\"); spexlens refuses such archives");
        }
        if (!part.empty() && part != ".")
            parts.push_back(part);
        start = slash + 1;
    }
    if (parts.empty() || parts.front() == "__MACOSX" || parts.back() == ".DS_Store")
        return "";
    std::string out;
    for (const auto & p : parts)
        out += (out.empty() ? "" : "/") + p;
    return out;
}

//-----------------------------------------------------------------------------
// [SECTION] zip_archive
//-----------------------------------------------------------------------------

}  // namespace

zip_archive::zip_archive(uint64_t archive_size, zip_read_fn read, zip_limits limits)
    : size_(archive_size), read_(std::move(read)), limits_(limits) {
    const directory_location where = locate_directory(read_, size_);
    if (where.size > limits_.max_directory_bytes) {
        refuse("has a central directory of " + mib(where.size) + ", more than the " + mib(limits_.max_directory_bytes) +
               " a model folder's list of files needs; zip only the model's folder");
    }
    if (where.entries <= limits_.max_entries && where.entries * central_size > where.size) {
        damaged("its directory is smaller than its entries");
    }
    directory_offset_          = where.offset;
    const std::string      dir = read_exact(read_, size_, where.offset, where.size, "the central directory");
    std::vector<raw_entry> raw = read_directory(dir, where.entries, limits_.max_entries);

    // Entries' data must not overlap one another or the directory (the "overlapping files" bomb
    // makes thousands of entries inflate the same bytes).
    std::vector<const raw_entry *> by_offset;
    for (const auto & e : raw)
        by_offset.push_back(&e);
    std::sort(by_offset.begin(), by_offset.end(),
              [](const raw_entry * a, const raw_entry * b) { return a->entry.local_offset < b->entry.local_offset; });
    for (size_t i = 0; i < by_offset.size(); ++i) {
        const zip_entry & e        = by_offset[i]->entry;
        const uint64_t    end      = i + 1 < by_offset.size() ? by_offset[i + 1]->entry.local_offset : where.offset;
        const uint64_t    min_span = local_size + by_offset[i]->name_length;
        if (e.local_offset > end || end - e.local_offset < min_span ||
            e.compressed_size > end - e.local_offset - min_span) {
            refuse("has entries whose data overlap (\"" + by_offset[i]->name +
                   "\"), which only a damaged archive or a zip bomb has; zip the folder again");
        }
    }

    std::map<std::string, std::string> seen;
    for (auto & e : raw) {
        if (e.flags & 1u) {
            refuse("is encrypted (\"" + e.name + "\" needs a password); zip the folder without a password");
        }
        e.entry.path = relative_path(e.name);
        if (e.entry.path.empty())
            continue;
        if (!seen.emplace(e.entry.path, e.name).second) {
            refuse("holds \"" + e.entry.path + "\" twice; zip the folder again");
        }
        entries_.push_back(e.entry);
    }
    if (entries_.empty())
        refuse("holds no files");

    // One top folder for every file: take it off, as for a folder picked in the page.
    const size_t      slash = entries_.front().path.find('/');
    const std::string top   = slash == std::string::npos ? "" : entries_.front().path.substr(0, slash + 1);
    const bool one_folder   = !top.empty() && std::all_of(entries_.begin(), entries_.end(), [&](const zip_entry & e) {
        return e.path.compare(0, top.size(), top) == 0;
    });
    if (one_folder) {
        folder_ = top.substr(0, top.size() - 1);
        for (auto & e : entries_)
            e.path = e.path.substr(top.size());
    }
}

const zip_entry * zip_archive::find(const std::string & path) const {
    for (const auto & e : entries_) {
        if (e.path == path)
            return &e;
    }
    return nullptr;
}

namespace {

// Refuses an entry spexlens will not inflate: too large, an unknown method, or sizes that
// disagree or that deflate cannot reach (a zip bomb).
void check_entry(const zip_entry * e, const std::string & where, const zip_limits & limits) {
    if (e->size > limits.max_entry_bytes) {
        refuse("holds " + where + " of " + mib(e->size) + " uncompressed, more than the " +
               mib(limits.max_entry_bytes) + " spexlens opens in a browser");
    }
    if (e->method != 0 && e->method != 8) {
        const std::string name = e->method == 9    ? " (Deflate64)"
                                 : e->method == 12 ? " (bzip2)"
                                 : e->method == 14 ? " (LZMA)"
                                 : e->method == 93 ? " (Zstandard)"
                                 : e->method == 95 ? " (xz)"
                                                   : "";
        refuse("compresses " + where + " with method " + std::to_string(e->method) + name +
               "; spexlens reads stored and deflated files: zip the folder with the usual (deflate) compression");
    }
    if (e->method == 0 && e->compressed_size != e->size)
        damaged(where + " is stored with two different sizes");
    if (e->method == 8 && e->size / max_deflate_ratio > e->compressed_size + 1) {
        refuse("declares " + where + " as " + mib(e->size) + " from " + std::to_string(e->compressed_size) +
               " compressed bytes, more than deflate can reach: a zip bomb or a damaged archive");
    }
}

// Inflates the entry's raw deflate data at data_at into out (sized e->size), refusing data
// that inflate past or stop short of the declared size.
void inflate_entry(const zip_read_fn & read, uint64_t size, const zip_entry * e, uint64_t data_at,
                   const std::string & where, std::string & out) {
    z_stream z{};
    if (inflateInit2(&z, -MAX_WBITS) != Z_OK)
        refuse("could not be read (zlib failed to start)");
    struct end_guard {
        z_stream & z;
        ~end_guard() { inflateEnd(&z); }
    } guard{z};
    constexpr uint64_t chunk    = 1u << 20;
    uint64_t           consumed = 0, produced = 0;
    int                status = Z_OK;
    std::string        input;
    char               spill = 0;  // one byte past the declared size shows the data are longer
    while (status != Z_STREAM_END) {
        if (z.avail_in == 0) {
            if (consumed == e->compressed_size)
                damaged(where + " ends before its declared size");
            const uint64_t n = std::min(chunk, e->compressed_size - consumed);
            input            = read_exact(read, size, data_at + consumed, n, where.c_str());
            consumed += n;
            z.next_in  = reinterpret_cast<Bytef *>(input.data());
            z.avail_in = static_cast<uInt>(n);
        }
        const bool spilled = produced == e->size;
        if (spilled) {
            z.next_out  = reinterpret_cast<Bytef *>(&spill);
            z.avail_out = 1;
        } else {
            z.next_out  = reinterpret_cast<Bytef *>(out.data() + produced);
            z.avail_out = static_cast<uInt>(std::min<uint64_t>(e->size - produced, std::numeric_limits<uInt>::max()));
        }
        const uInt before = z.avail_out;
        status            = inflate(&z, Z_NO_FLUSH);
        if (status == Z_DATA_ERROR || status == Z_MEM_ERROR || status == Z_NEED_DICT) {
            damaged(where + ": " + (z.msg ? z.msg : "invalid deflate data"));
        }
        if (spilled && z.avail_out == 0) {
            refuse("inflates " + where + " past the " + std::to_string(e->size) +
                   " bytes it declares: a zip bomb or a damaged archive");
        }
        if (!spilled)
            produced += before - z.avail_out;
        if (status == Z_BUF_ERROR && z.avail_in != 0 && !spilled)
            damaged(where + ": inflation stalled");
    }
    if (produced != e->size)
        damaged(where + " is shorter than its declared size");
}

// Fails unless out matches the entry's CRC-32.
void check_crc(const std::string & out, const zip_entry * e, const std::string & where) {
    uLong crc = crc32(0L, Z_NULL, 0);
    for (size_t at = 0; at < out.size();) {
        const size_t n = std::min<size_t>(out.size() - at, 1u << 30);
        crc            = crc32(crc, reinterpret_cast<const Bytef *>(out.data() + at), static_cast<uInt>(n));
        at += n;
    }
    if (static_cast<uint32_t>(crc) != e->crc32)
        damaged(where + " does not match its CRC-32");
}

}  // namespace

std::string zip_archive::extract(const std::string & path) const {
    const zip_entry * e = find(path);
    if (!e)
        refuse("has no file \"" + path + "\"");
    const std::string where = "\"" + path + "\"";
    check_entry(e, where, limits_);

    const std::string local = read_exact(read_, size_, e->local_offset, local_size, "a local header");
    if (u32(local, 0) != sig_local)
        damaged("no local header where the directory points for " + where);
    const uint64_t data_at = e->local_offset + local_size + u16(local, 26) + u16(local, 28);
    if (data_at > directory_offset_ || e->compressed_size > directory_offset_ - data_at) {
        damaged("the data of " + where + " run into the central directory");
    }

    std::string out(static_cast<size_t>(e->size), '\0');
    if (e->size == 0 && e->compressed_size == 0) {
        // An empty file some writers store with no deflate data at all.
    } else if (e->method == 0) {
        out = read_exact(read_, size_, data_at, e->size, where.c_str());
    } else {
        inflate_entry(read_, size_, e, data_at, where, out);
    }
    check_crc(out, e, where);
    return out;
}

}  // namespace spexlens::text
