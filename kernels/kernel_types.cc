// Canonical spellings of the kernels' result structs. Depends on runner/print.h and the
// vfio enum names only.
#include "kernels/kernel_types.h"

#include <ostream>

#include "runner/print.h"

namespace vfio_kernels {
namespace {

// Writes "Name{" ... "}" with ", " between fields; each field through kt::Print, so integers
// and booleans have the runner's spelling.
class Fields {
 public:
  Fields(std::ostream& os, const char* name) : os_(os) { os_ << name << '{'; }
  ~Fields() { os_ << '}'; }
  Fields(const Fields&) = delete;
  Fields& operator=(const Fields&) = delete;

  template <class T>
  Fields& Add(const char* name, const T& value) {
    os_ << separator_ << name << '=';
    kt::Print(os_, value);
    separator_ = ", ";
    return *this;
  }
  Fields& Hex(const char* name, std::uint64_t value) { return Add(name, kt::Hex(value)); }
  Fields& Text(const char* name, const char* value) {
    os_ << separator_ << name << '=' << value;
    separator_ = ", ";
    return *this;
  }

 private:
  std::ostream& os_;
  const char* separator_ = "";
};

}  // namespace

void KtPrint(std::ostream& os, const DmaStats& s) {
  Fields(os, "DmaStats").Add("count", s.count).Hex("bytes", s.bytes);
}

void KtPrint(std::ostream& os, const BarPair& p) {
  Fields(os, "BarPair").Hex("a", p.a).Hex("b", p.b);
}

void KtPrint(std::ostream& os, const Placed& p) {
  Fields(os, "Placed").Add("count", p.count).Hex("lowest", p.lowest).Hex("highest", p.highest);
}

void KtPrint(std::ostream& os, const PoolView& p) {
  Fields(os, "Pool").Hex("first", p.first).Hex("last", p.last).Add("count", p.count).Hex(
      "bytes", p.bytes);
}

void KtPrint(std::ostream& os, const MsixSizes& s) {
  Fields(os, "MsixSizes").Hex("table", s.table).Hex("pba", s.pba);
}

void KtPrint(std::ostream& os, const ControlView& c) {
  Fields(os, "Control").Hex("value", c.value).Add("events", c.events);
}

void KtPrint(std::ostream& os, const DeliveryView& d) {
  Fields(os, "Delivery")
      .Text("fire", vfio::ToString(d.fire))
      .Add("delivered", d.delivered)
      .Add("pending", d.pending);
}

void KtPrint(std::ostream& os, const VectorView& v) {
  Fields(os, "Vector")
      .Text("state", vfio::ToString(v.state))
      .Add("configured", v.configured)
      .Add("enabled", v.enabled);
}

void KtPrint(std::ostream& os, const VectorCounts& v) {
  Fields(os, "Vectors").Add("configured", v.configured).Add("enabled", v.enabled);
}

void KtPrint(std::ostream& os, const BarView& b) {
  Fields(os, "Bar").Hex("address", b.address).Hex("low", b.low).Hex("high", b.high);
}

void KtPrint(std::ostream& os, const CapWalk& w) {
  Fields(os, "Caps").Add("count", w.count).Hex("first", w.first).Hex("last", w.last);
}

void KtPrint(std::ostream& os, const MsixCapView& m) {
  Fields f(os, "MsixCap");
  f.Hex("offset", m.offset).Add("vectors", m.vectors);
  // BIR and offset together, as the capability's dwords pair them: 3+0x800.
  os << ", table=" << unsigned{m.table_bir} << '+';
  kt::Print(os, kt::Hex(m.table_offset));
  os << ", pba=" << unsigned{m.pba_bir} << '+';
  kt::Print(os, kt::Hex(m.pba_offset));
  f.Add("enabled", m.enabled).Add("masked", m.function_masked);
}

void KtPrint(std::ostream& os, const BuilderView& b) {
  Fields(os, "Layout").Add("legacy", b.legacy).Hex("last", b.last_legacy).Hex("extended",
                                                                               b.extended);
}

void KtPrint(std::ostream& os, const CoexistView& c) {
  Fields(os, "Coexist").Add("vectors", c.vectors).Add("active", c.active).Add("delivered",
                                                                               c.delivered);
}

}  // namespace vfio_kernels
