// The parking meter's rules. Standard C++, POSIX and Boost.Outcome only.
#include "docs/examples/parking.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <sstream>
#include <string>

namespace parking {
namespace {

class Category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "parking"; }
  std::string message(int value) const override {
    switch (static_cast<ParkingError>(value)) {
      case ParkingError::kTooLong: return "too_long";
      case ParkingError::kBadPlate: return "bad_plate";
      case ParkingError::kNotAccepted: return "not_accepted";
    }
    return "unknown";
  }
};

// Constant-initialised rather than a function-local static: a static's first-use guard is a
// branch taken once per process, which would make a kernel's edges depend on what ran
// before it in the same worker.
constinit const Category kCategory{};

constexpr std::uint32_t kMinutesPerDay = 24 * 60;

std::uint32_t HourlyRate(Zone zone) {
  switch (zone) {
    case Zone::kCentre: return 300;
    case Zone::kSuburb: return 100;
    case Zone::kAirport: return 500;
  }
  return 0;
}

std::error_code Errno() { return {errno, std::generic_category()}; }

}  // namespace

std::ostream& operator<<(std::ostream& os, Price p) {
  const std::uint32_t cents = p.cents % 100;
  return os << p.cents / 100 << '.' << (cents < 10 ? "0" : "") << cents;
}

std::ostream& operator<<(std::ostream& os, Payment p) {
  switch (p) {
    case Payment::kNone: return os << "none";
    case Payment::kCoins: return os << "coins";
    case Payment::kCard: return os << "card";
    case Payment::kPhone: return os << "phone";
    case Payment::kAny: return os << "any";
  }
  return os << "Payment(" << static_cast<unsigned>(p) << ')';
}

const std::error_category& ParkingCategory() noexcept { return kCategory; }

std::error_code make_error_code(ParkingError e) noexcept {
  return {static_cast<int>(e), ParkingCategory()};
}

Result<Price> Quote(Zone zone, Minutes stay, Extra extras, bool weekend) {
  const std::uint32_t limit = zone == Zone::kAirport ? 14 * kMinutesPerDay : kMinutesPerDay;
  if (stay.value() > limit) return ParkingError::kTooLong;
  if (stay.value() <= kFreeMinutes) return Price{0};
  if (Has(extras, Extra::kBadge) && zone != Zone::kAirport) return Price{0};
  const std::uint32_t hours = (stay.value() + 59) / 60;
  std::uint32_t cents = hours * HourlyRate(zone);
  if (weekend && zone == Zone::kCentre) cents /= 2;
  if (Has(extras, Extra::kCharging)) cents += 200;
  if (Has(extras, Extra::kOversize)) cents *= 2;
  return Price{cents};
}

Result<Payment> ChoosePayment(Payment accepted, Payment offered) {
  const unsigned both = static_cast<unsigned>(accepted) & static_cast<unsigned>(offered);
  for (const Payment p : {Payment::kCoins, Payment::kCard, Payment::kPhone}) {
    if ((both & static_cast<unsigned>(p)) != 0) return p;
  }
  return ParkingError::kNotAccepted;
}

Result<std::size_t> CheckPlate(std::string_view plate) {
  const auto allowed = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); };
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (plate.size() < 2 || plate.size() > 8 || !std::all_of(plate.begin(), plate.end(), allowed) ||
      std::none_of(plate.begin(), plate.end(), digit)) {
    return ParkingError::kBadPlate;
  }
  return plate.size();
}

Result<std::size_t> AppendReceipt(int dir_fd, Price price) {
  const int fd = ::openat(dir_fd, "receipts.txt", O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return Errno();
  std::string all;
  char buffer[256];
  ssize_t n;
  while ((n = ::read(fd, buffer, sizeof buffer)) > 0) all.append(buffer, static_cast<size_t>(n));
  std::ostringstream line;
  line << price << '\n';
  const std::string text = line.str();
  std::error_code error;
  if (n < 0) {
    error = Errno();
  } else if (const ssize_t w = ::write(fd, text.data(), text.size()); w < 0) {
    error = Errno();
  } else if (static_cast<std::size_t>(w) != text.size()) {
    error = std::make_error_code(std::errc::io_error);
  }
  ::close(fd);
  if (error) return error;
  return static_cast<std::size_t>(std::count(all.begin(), all.end(), '\n')) + 1;
}

}  // namespace parking
