// The bytes that cross the worker's socket: a call set to the worker, an execution (or the
// runner's error) back. Little-endian, length-prefixed, no alignment. The standard library,
// runner/ values and outcomes and permuter/executor.h only; never a socket itself.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "permuter/executor.h"

namespace kt::permuter::internal {

std::string EncodeCallSet(std::span<const Value> call_set);
// nullopt for bytes EncodeCallSet cannot have written (cut short, unknown kind, trailing).
std::optional<std::vector<Value>> DecodeCallSet(std::string_view bytes);

// The worker's reply: the execution, or the message of the runner's error (the call set did
// not decode, the workspace could not be made).
using Reply = std::variant<Execution, std::string>;
std::string EncodeReply(const Reply& reply);
std::optional<Reply> DecodeReply(std::string_view bytes);

// A frame: the payload's length as 4 bytes, then the payload.
std::string Frame(std::string_view payload);
// The payload of the frame at the start of `buffer` and how many bytes the frame took, or
// nullopt while the buffer holds less than a whole frame.
std::optional<std::string_view> Unframe(std::string_view buffer, std::size_t* consumed);

}  // namespace kt::permuter::internal
