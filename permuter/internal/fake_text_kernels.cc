// Fake kernels with string and bytes parameters. Each body reports an edge per block it runs
// and, where the instrumented code would, a compare record of the integers it branches on.
#include "permuter/internal/fake_text_kernels.h"

#include <cstdint>
#include <string_view>
#include <utility>

namespace kt::permuter::internal {
namespace {

FakeKernel Make(std::string name, std::vector<ColumnSchema> columns, FakeKernelFn fn,
                std::uint32_t num_edges) {
  FakeKernel k{std::move(name), std::move(columns), fn, {}};
  for (std::uint32_t e = 0; e < num_edges; ++e) k.all_edges.push_back(e);
  return k;
}

Outcome DriverName(std::span<const Value> args, FakeTrace& t) {
  const std::string_view name = args[0].as_string();
  t.Edge(0);
  t.ConstCmp(1, 8, 8, name.size());
  if (name == "vfio-pci") {
    t.Edge(1);
    return Ok("vfio_pci");
  }
  if (name.starts_with("vfio")) {
    t.Edge(2);
    return Ok("other_vfio");
  }
  t.Edge(3);
  return Err("unknown_driver");
}

Outcome Length(std::span<const Value> args, FakeTrace& t) {
  const std::size_t n = args[0].as_bytes().size();
  t.Edge(0);
  t.ConstCmp(1, 8, 0, n);
  if (n == 0) {
    t.Edge(1);
    return Err("empty");
  }
  t.ConstCmp(2, 8, 16, n);
  if (n < 16) {
    t.Edge(2);
    return Ok("short");
  }
  t.ConstCmp(3, 8, 40, n);
  if (n <= 40) {
    t.Edge(3);
    return Ok("medium");
  }
  t.Edge(4);
  return Ok("long");
}

Outcome EnumBytes(std::span<const Value> args, FakeTrace& t) {
  const std::uint64_t op = args[0].as_integer().bits();
  const std::span<const std::byte> data = args[1].as_bytes();
  t.Edge(0);
  t.Switch(1, 1, op, {0, 1, 2});
  switch (op) {
    case 0: t.Edge(1); return Ok("read");
    case 1: {
      t.Edge(2);
      t.ConstCmp(2, 8, 2, data.size());
      if (data.size() < 2) {
        t.Edge(3);
        return Err("short_write");
      }
      const auto first = static_cast<std::uint8_t>(data[0]);
      const auto second = static_cast<std::uint8_t>(data[1]);
      t.ConstCmp(3, 1, 0x7f, first);
      if (first != 0x7f) {
        t.Edge(4);
        return Err("bad_magic");
      }
      t.ConstCmp(4, 1, 0xf0, second);
      if (second > 0xf0) {
        t.Edge(5);
        return Ok("privileged_write");
      }
      t.Edge(6);
      return Ok("write");
    }
    default:
      t.Edge(7);
      if (!data.empty()) {
        t.Edge(8);
        return Err("reset_with_data");
      }
      t.Edge(9);
      return Ok("reset");
  }
}

Outcome CheckOnPrefix(std::span<const Value> args, FakeTrace& t) {
  t.Edge(0);
  if (std::string_view(args[0].as_string()).starts_with("BAD!")) {
    return CheckFailedOutcome("!name.starts_with(\"BAD!\")", "fake_text_kernels.cc", 1);
  }
  t.Edge(1);
  return Ok("fine");
}

Outcome TwoStrings(std::span<const Value> args, FakeTrace& t) {
  const std::string_view first = args[0].as_string();
  const std::string_view second = args[1].as_string();
  t.Edge(0);
  if (first.find("kt") == std::string_view::npos) {
    t.Edge(1);
    return Ok("no_kt");
  }
  t.Edge(2);
  t.ConstCmp(1, 8, 4, second.size());
  if (second.size() > 4 && args[2].as_bool()) {
    t.Edge(3);
    return Ok("both");
  }
  t.Edge(4);
  return Ok("kt_only");
}

}  // namespace

ColumnSchema StringColumn(std::string name, std::size_t max_len) {
  ColumnSchema c;
  c.name = std::move(name);
  c.kind = ParamKind::kString;
  c.cpp_type = "std::string_view";
  c.max_len = max_len;
  return c;
}

ColumnSchema BytesColumn(std::string name, std::size_t max_len) {
  ColumnSchema c;
  c.name = std::move(name);
  c.kind = ParamKind::kBytes;
  c.cpp_type = "std::span<const std::byte>";
  c.max_len = max_len;
  return c;
}

const FakeKernel& DriverNameKernel() {
  static const FakeKernel k = Make("fake.driver_name", {StringColumn("name", 32)}, &DriverName, 4);
  return k;
}

const FakeKernel& LengthKernel() {
  static const FakeKernel k = Make("fake.length", {BytesColumn("data", 64)}, &Length, 5);
  return k;
}

const FakeKernel& EnumBytesKernel() {
  static const FakeKernel k =
      Make("fake.enum_bytes",
           {EnumColumn("op", {{"kRead", Integer(0)}, {"kWrite", Integer(1)}, {"kReset", Integer(2)}}),
            BytesColumn("data", 16)},
           &EnumBytes, 10);
  return k;
}

const FakeKernel& CheckOnPrefixKernel() {
  static const FakeKernel k =
      Make("fake.check_on_prefix", {StringColumn("name", 64)}, &CheckOnPrefix, 2);
  return k;
}

const FakeKernel& TwoStringsKernel() {
  ColumnSchema flag;
  flag.name = "flag";
  flag.kind = ParamKind::kBool;
  flag.cpp_type = "bool";
  static const FakeKernel k =
      Make("fake.two_strings", {StringColumn("first", 8), StringColumn("second", 8), flag},
           &TwoStrings, 5);
  return k;
}

}  // namespace kt::permuter::internal
