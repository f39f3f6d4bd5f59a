// char_class: see char_class.h. The range lists mirror the Python reference's lists one to one
// (same order, inclusive bounds) so a reviewer can diff them; keep them in sync with it.
#include "text/char_class.h"

#include <cstddef>

namespace spexlens::text {

namespace {

struct cp_range {
    char32_t lo, hi;
};

// C0 and C1 controls separate words like spaces: "free\0money" is two words, never one.
constexpr cp_range space_ranges[] = {
    {0x00, 0x08},     {0x09, 0x0D},     {0x0E, 0x1F},     {0x20, 0x20},     {0x7F, 0x84},
    {0x85, 0x85},     {0x86, 0x9F},     {0xA0, 0xA0},     {0x1680, 0x1680}, {0x2000, 0x200B},
    {0x2028, 0x2029}, {0x202F, 0x202F}, {0x205F, 0x205F}, {0x3000, 0x3000}, {0xFEFF, 0xFEFF},
};

constexpr cp_range drop_ranges[] = {{0xAD, 0xAD}};

constexpr cp_range single_ranges[] = {
    {0xA1, 0xAC},     {0xAE, 0xBF},     {0xD7, 0xD7},     {0xF7, 0xF7},       {0x2010, 0x2027},
    {0x2030, 0x205E}, {0x2060, 0x206F}, {0x20A0, 0x20CF}, {0x2100, 0x214F},   {0x2190, 0x2BFF},
    {0x2E00, 0x2E7F}, {0x3001, 0x303F}, {0x3040, 0x30FF}, {0x3400, 0x4DBF},   {0x4E00, 0x9FFF},
    {0xF900, 0xFAFF}, {0xFE10, 0xFE1F}, {0xFE30, 0xFE4F}, {0xFF01, 0xFF0F},   {0xFF1A, 0xFF20},
    {0xFF3B, 0xFF40}, {0xFF5B, 0xFF65}, {0xFFF0, 0xFFFF}, {0x1F000, 0x1FAFF}, {0x20000, 0x2FFFF},
};

constexpr cp_range extend_ranges[] = {
    {0x0300, 0x036F},   {0x200C, 0x200C},   {0x20D0, 0x20FF},   {0xFE00, 0xFE0F},
    {0x1F3FB, 0x1F3FF}, {0xE0020, 0xE007F}, {0xE0100, 0xE01EF},
};

constexpr char32_t joiner = 0x200D;

template <size_t N> bool in_ranges(const cp_range (&ranges)[N], char32_t cp) {
    for (const cp_range & r : ranges) {
        if (cp >= r.lo && cp <= r.hi) {
            return true;
        }
    }
    return false;
}

}  // namespace

char_class classify(char32_t cp) {
    if (cp < 0x80) {
        // ASCII letters and digits are word characters; the rest is space, control or
        // printable punctuation (the reference decides ASCII before the tables).
        if ((cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z')) {
            return CHAR_WORD;
        }
        if (in_ranges(space_ranges, cp)) {
            return CHAR_SPACE;
        }
        if (in_ranges(drop_ranges, cp)) {
            return CHAR_DROP;
        }
        return CHAR_SINGLE;
    }
    if (cp == joiner) {
        return CHAR_JOINER;
    }
    if (in_ranges(space_ranges, cp)) {
        return CHAR_SPACE;
    }
    if (in_ranges(drop_ranges, cp)) {
        return CHAR_DROP;
    }
    if (in_ranges(extend_ranges, cp)) {
        return CHAR_EXTEND;
    }
    if (in_ranges(single_ranges, cp)) {
        return CHAR_SINGLE;
    }
    return CHAR_WORD;
}

}  // namespace spexlens::text
