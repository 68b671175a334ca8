// Step 1 of the permuter contract: the seed values of one column, from its schema and the
// constants the seeder harvested from the kernel and the code it calls. Pure: runner/schema.h
// and runner/value.h only; never an executor or the coverage runtime.
#pragma once

#include <span>
#include <vector>

#include "runner/error.h"
#include "runner/schema.h"
#include "runner/value.h"

namespace kt::permuter {

// The seeds of `column`, ascending by CompareValues and unique:
//   bool         false, true
//   enum         every enumerator's value
//   flags        none (0), each enumerator, all of them ORed, and every pair ORed
//   int, strong  the range ends and their inner neighbours, 0 and ±1, the powers of two
//                nearest each end and their neighbours, 2^k - 1 and 2^k at the byte and
//                word widths (7, 8, 15, 16, 31, 32, 63) and their negations, and every
//                harvested constant ±1; all clipped to the range (values outside are
//                dropped, not clamped: the ends are seeds already)
//   string       "", "a" and max_len 'a's; bytes: empty, one 0x00 and max_len 0xff
// The harvested constants apply to every integer column: the seeder does not know which
// parameter a constant is compared with, and a useless seed costs a few executions.
// Errors: the column fails CheckColumn (kt.domain).
//
// Example usage:
//   ColumnSchema size{.name = "size", .kind = ParamKind::kInt, .int_type = {32, false},
//                     .range_lo = Integer(0), .range_hi = Integer(4096)};
//   Expected<std::vector<Value>> seeds = SeedValues(size, {{Integer(512)}});
//   // 0, 1, 127, 128, 255, 256, 511, 512, 513, 4095, 4096, each a Value::Int
Expected<std::vector<Value>> SeedValues(const ColumnSchema& column,
                                        std::span<const Integer> constants);

}  // namespace kt::permuter
