// zip_archive: model folders brought as a .zip. Archives are written here, byte by byte, so each
// rule (top folder, Zip64, overlapping entries, lying sizes, zip bombs, hostile paths) is tested
// on exactly the bytes that break it; a seeded mutation pass checks that damaged archives give
// a text_error, never a crash or a hang (the debug build runs it under ASan and UBSan).

#include "text/text_error.h"
#include "text/zip_archive.h"

#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>
#include <zlib.h>

using spexlens::text::text_error;
using spexlens::text::zip_archive;
using spexlens::text::zip_limits;

namespace {

void put16(std::string & b, uint32_t v) {
    b.push_back(static_cast<char>(v & 0xFF));
    b.push_back(static_cast<char>((v >> 8) & 0xFF));
}
void put32(std::string & b, uint32_t v) {
    put16(b, v & 0xFFFF);
    put16(b, v >> 16);
}
void put64(std::string & b, uint64_t v) {
    put32(b, static_cast<uint32_t>(v));
    put32(b, static_cast<uint32_t>(v >> 32));
}

std::string raw_deflate(const std::string & data) {
    z_stream z{};
    REQUIRE(deflateInit2(&z, 9, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) == Z_OK);
    std::string out(deflateBound(&z, static_cast<uLong>(data.size())), '\0');
    z.next_in   = reinterpret_cast<Bytef *>(const_cast<char *>(data.data()));
    z.avail_in  = static_cast<uInt>(data.size());
    z.next_out  = reinterpret_cast<Bytef *>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    REQUIRE(deflate(&z, Z_FINISH) == Z_STREAM_END);
    out.resize(z.total_out);
    deflateEnd(&z);
    return out;
}

uint32_t crc_of(const std::string & data) {
    return static_cast<uint32_t>(
        crc32(0L, reinterpret_cast<const Bytef *>(data.data()), static_cast<uInt>(data.size())));
}

// One entry to write; the declared fields default to the truth and can be made to lie.
struct file_spec {
    std::string name;
    std::string data;
    uint16_t    method        = 8;
    uint16_t    flags         = 0;
    int64_t     declared_size = -1;  // -1: the real size
    int64_t     declared_crc  = -1;
    int64_t     local_offset  = -1;  // -1: where it was written (to point entries at each other)
};

struct zip_options {
    bool        zip64   = false;  // Zip64 end records and extra fields for every entry
    std::string comment = "";
};

std::string make_zip(const std::vector<file_spec> & files, const zip_options & opt = {}) {
    std::string           out, directory;
    std::vector<uint64_t> offsets;
    for (const auto & f : files) {
        const std::string body = f.method == 8 ? raw_deflate(f.data) : f.data;
        const uint64_t    size = f.declared_size < 0 ? f.data.size() : static_cast<uint64_t>(f.declared_size);
        const uint32_t    crc  = f.declared_crc < 0 ? crc_of(f.data) : static_cast<uint32_t>(f.declared_crc);
        const uint64_t    at   = out.size();
        offsets.push_back(at);
        put32(out, 0x04034b50);
        put16(out, 20);
        put16(out, f.flags);
        put16(out, f.method);
        put32(out, 0);
        put32(out, crc);
        put32(out, static_cast<uint32_t>(body.size()));
        put32(out, static_cast<uint32_t>(size));
        put16(out, static_cast<uint32_t>(f.name.size()));
        put16(out, 0);
        out += f.name + body;

        const uint64_t local = f.local_offset < 0 ? at : static_cast<uint64_t>(f.local_offset);
        put32(directory, 0x02014b50);
        put16(directory, 45);
        put16(directory, 45);
        put16(directory, f.flags);
        put16(directory, f.method);
        put32(directory, 0);
        put32(directory, crc);
        put32(directory, opt.zip64 ? 0xFFFFFFFF : static_cast<uint32_t>(body.size()));
        put32(directory, opt.zip64 ? 0xFFFFFFFF : static_cast<uint32_t>(size));
        put16(directory, static_cast<uint32_t>(f.name.size()));
        put16(directory, opt.zip64 ? 28 : 0);
        put16(directory, 0);
        put16(directory, 0);
        put16(directory, 0);
        put32(directory, 0);
        put32(directory, opt.zip64 ? 0xFFFFFFFF : static_cast<uint32_t>(local));
        directory += f.name;
        if (opt.zip64) {
            put16(directory, 1);
            put16(directory, 24);
            put64(directory, size);
            put64(directory, body.size());
            put64(directory, local);
        }
    }
    const uint64_t directory_at = out.size();
    out += directory;
    if (opt.zip64) {
        const uint64_t record_at = out.size();
        put32(out, 0x06064b50);
        put64(out, 44);
        put16(out, 45);
        put16(out, 45);
        put32(out, 0);
        put32(out, 0);
        put64(out, files.size());
        put64(out, files.size());
        put64(out, directory.size());
        put64(out, directory_at);
        put32(out, 0x07064b50);
        put32(out, 0);
        put64(out, record_at);
        put32(out, 1);
    }
    put32(out, 0x06054b50);
    put16(out, 0);
    put16(out, 0);
    put16(out, opt.zip64 ? 0xFFFF : static_cast<uint32_t>(files.size()));
    put16(out, opt.zip64 ? 0xFFFF : static_cast<uint32_t>(files.size()));
    put32(out, opt.zip64 ? 0xFFFFFFFF : static_cast<uint32_t>(directory.size()));
    put32(out, opt.zip64 ? 0xFFFFFFFF : static_cast<uint32_t>(directory_at));
    put16(out, static_cast<uint32_t>(opt.comment.size()));
    out += opt.comment;
    return out;
}

// An archive in memory, read through the callback as a front end would; counts the bytes read.
struct memory_zip {
    std::string bytes;
    size_t      bytes_read = 0;

    zip_archive open(zip_limits limits = {}) {
        return zip_archive(
            bytes.size(),
            [this](uint64_t offset, size_t length) {
                REQUIRE(offset + length <= bytes.size());
                bytes_read += length;
                return bytes.substr(static_cast<size_t>(offset), length);
            },
            limits);
    }
};

std::string text_of(size_t n, uint32_t seed) {
    std::mt19937 rng(seed);
    std::string  s;
    while (s.size() < n)
        s += "token" + std::to_string(rng() % 1000) + " ";
    return s.substr(0, n);
}

}  // namespace

TEST_CASE("zip: a zipped model folder lists its files without the top folder and inflates them exactly", "[zip]") {
    const std::string config = "{\"id2label\": {\"0\": \"ham\", \"1\": \"spam\"}}";
    const std::string model  = text_of(300000, 1);
    memory_zip        z{make_zip({{"spam-bert/", "", 0},
                                  {"spam-bert/config.json", config, 0},
                                  {"spam-bert/onnx/", "", 0},
                                  {"spam-bert/onnx/model.onnx", model, 8},
                                  {"__MACOSX/spam-bert/._config.json", "x", 0},
                                  {"spam-bert/.DS_Store", "x", 0}})};
    const zip_archive a = z.open();
    REQUIRE(a.folder() == "spam-bert");
    REQUIRE(a.entries().size() == 2);
    CHECK(a.entries()[0].path == "config.json");
    CHECK(a.entries()[1].path == "onnx/model.onnx");
    CHECK(a.entries()[1].size == model.size());
    CHECK(a.entries()[1].compressed_size < model.size() / 2);
    CHECK(a.extract("config.json") == config);
    CHECK(a.extract("onnx/model.onnx") == model);
    CHECK(a.find("model.json") == nullptr);
    CHECK_THROWS_WITH(a.extract("model.json"), Catch::Contains("has no file \"model.json\""));
}

TEST_CASE("zip: listing reads the directory only, not the files", "[zip]") {
    memory_zip        z{make_zip({{"config.json", "{}", 0}, {"model.onnx", text_of(2 << 20, 2), 0}})};
    const zip_archive a = z.open();
    CHECK(a.folder().empty());
    CHECK(z.bytes_read < 70000);  // the last 64 KiB + the directory
}

TEST_CASE("zip: files at the top and in folders keep their paths, and backslashes are folder separators", "[zip]") {
    memory_zip z{make_zip({{"config.json", "{}", 8}, {"onnx\\model.onnx", "abc", 0}, {"./tokenizer.json", "[]", 8}})};
    const zip_archive a = z.open();
    CHECK(a.folder().empty());
    CHECK(a.extract("onnx/model.onnx") == "abc");
    CHECK(a.extract("tokenizer.json") == "[]");
}

TEST_CASE("zip: Zip64 records and extra fields are read", "[zip]") {
    const std::string model = text_of(100000, 3);
    zip_options       o;
    o.zip64 = true;
    memory_zip        z{make_zip({{"m/config.json", "{}", 0}, {"m/model.onnx", model, 8}}, o)};
    const zip_archive a = z.open();
    CHECK(a.folder() == "m");
    CHECK(a.extract("model.onnx") == model);
}

TEST_CASE("zip: a comment after the directory, even one containing the end signature, is skipped", "[zip]") {
    zip_options o;
    o.comment = std::string("PK\x05\x06", 4) + "made by a test";
    memory_zip z{make_zip({{"config.json", "{}", 8}}, o)};
    CHECK(z.open().extract("config.json") == "{}");
}

TEST_CASE("zip: zip bombs are refused before or while inflating, within the limits", "[zip]") {
    const std::string zeros(16u << 20, '\0');  // 16 MiB of zeros deflate to about 16 KiB
    zip_limits        small;
    small.max_entry_bytes = 1u << 20;

    SECTION("an entry larger than the limit is refused without inflating it") {
        memory_zip        z{make_zip({{"model.onnx", zeros, 8}})};
        const zip_archive a      = z.open(small);
        const size_t      before = z.bytes_read;
        CHECK_THROWS_WITH(a.extract("model.onnx"), Catch::Contains("16 MiB uncompressed, more than the 1 MiB"));
        CHECK(z.bytes_read == before);
    }
    SECTION("an entry that declares a small size but inflates further stops one byte past it") {
        file_spec lie{"model.onnx", zeros, 8};
        lie.declared_size = 1000;
        memory_zip        z{make_zip({lie})};
        const zip_archive a = z.open();
        CHECK_THROWS_WITH(a.extract("model.onnx"), Catch::Contains("past the 1000 bytes it declares: a zip bomb"));
    }
    SECTION("a declared size beyond deflate's best ratio is refused before inflating") {
        file_spec lie{"model.onnx", "tiny", 8};
        lie.declared_size = 1u << 30;
        memory_zip z{make_zip({lie})};
        CHECK_THROWS_WITH(z.open().extract("model.onnx"), Catch::Contains("more than deflate can reach"));
    }
    SECTION("entries pointing at the same data (overlapping files) are refused when listed") {
        const std::string      some = text_of(4000, 7);
        std::vector<file_spec> files{{"a.bin", some, 8}};
        for (int i = 0; i < 50; ++i) {
            file_spec copy{"copy" + std::to_string(i) + ".bin", some, 8};
            copy.local_offset = 0;
            files.push_back(copy);
        }
        memory_zip z{make_zip(files)};
        CHECK_THROWS_WITH(z.open(), Catch::Contains("whose data overlap"));
    }
    SECTION("more entries than the limit") {
        std::vector<file_spec> files;
        for (int i = 0; i < 30; ++i)
            files.push_back({"f" + std::to_string(i), "x", 0});
        zip_limits few;
        few.max_entries = 20;
        memory_zip z{make_zip(files)};
        CHECK_THROWS_WITH(z.open(few), Catch::Contains("lists 30 entries, more than the 20"));
    }
}

TEST_CASE("zip: damaged or hostile archives are refused with a message", "[zip]") {
    const auto refused = [](std::string bytes, const std::string & expected, const std::string & extract = "") {
        memory_zip z{std::move(bytes)};
        INFO(expected);
        if (extract.empty()) {
            CHECK_THROWS_WITH(z.open(), Catch::Contains(expected));
        } else {
            const zip_archive a = z.open();
            CHECK_THROWS_WITH(a.extract(extract), Catch::Contains(expected));
        }
    };
    refused("", "not a zip archive");
    refused("just a text file that someone named model.zip, long enough to be searched", "not a zip archive");
    refused(make_zip({{"../../etc/passwd", "x", 0}}), "points outside its folder");
    refused(make_zip({{"/etc/passwd", "x", 0}}), "absolute path");
    refused(make_zip({{"C:/Windows/x", "x", 0}}), "absolute path");
    refused(make_zip({{"a/config.json", "x", 0}, {"a\\config.json", "y", 0}}), "config.json\" twice");
    file_spec encrypted{"config.json", "x", 0};
    encrypted.flags = 1;
    refused(make_zip({encrypted}), "is encrypted");
    file_spec bzip2{"config.json", "x", 0};
    bzip2.method = 12;
    refused(make_zip({bzip2}), "method 12 (bzip2)", "config.json");
    file_spec bad_crc{"config.json", "{\"a\": 1}", 8};
    bad_crc.declared_crc = 12345;
    refused(make_zip({bad_crc}), "does not match its CRC-32", "config.json");
    file_spec short_one{"config.json", "{\"a\": 1}", 8};
    short_one.declared_size = 100;
    refused(make_zip({short_one}), "shorter than its declared size", "config.json");
    refused(make_zip({{"x/", "", 0}}), "holds no files");
    refused(make_zip({{std::string("con\0fig.json", 12), "x", 0}}), "NUL character");

    // Cut short anywhere: a message, never a crash.
    const std::string whole = make_zip({{"m/config.json", "{}", 8}, {"m/model.onnx", text_of(5000, 4), 8}});
    for (size_t cut = 0; cut < whole.size(); cut += 7) {
        memory_zip z{whole.substr(0, cut)};
        CHECK_THROWS_AS(z.open(), text_error);
    }
}

TEST_CASE("zip: seeded mutations of an archive give a result or a text_error, never a crash", "[zip]") {
    const std::vector<file_spec> files{{"m/config.json", "{\"id2label\": {}}", 8},
                                       {"m/onnx/model.onnx", text_of(20000, 5), 8},
                                       {"m/tokenizer.json", text_of(3000, 6), 0}};
    zip_options                  zip64;
    zip64.zip64              = true;
    const std::string base64 = make_zip(files, zip64);
    const std::string base   = make_zip(files);
    std::mt19937      rng(20261206);
    int               opened = 0, refused = 0;
    zip_limits        limits;
    limits.max_entry_bytes = 4u << 20;
    for (int round = 0; round < 3000; ++round) {
        std::string bytes = round % 2 ? base : base64;
        const int   flips = 1 + static_cast<int>(rng() % 4);
        for (int i = 0; i < flips; ++i) {
            const size_t at = rng() % bytes.size();
            // Mostly in the directory and headers, where the structure is.
            const size_t where = rng() % 3 == 0 ? at : bytes.size() - 1 - (rng() % std::min<size_t>(bytes.size(), 400));
            bytes[where]       = static_cast<char>(rng() % 4 == 0 ? 0xFF : rng() & 0xFF);
        }
        memory_zip z{bytes};
        try {
            const zip_archive a = z.open(limits);
            for (const auto & e : a.entries()) {
                try {
                    const std::string data = a.extract(e.path);
                    CHECK(data.size() == e.size);
                } catch (const text_error &) {
                }
            }
            ++opened;
        } catch (const text_error &) {
            ++refused;
        }
    }
    CHECK(opened > 0);
    CHECK(refused > 0);
}
