// A guest and a VMM driving many MSI-X vectors of one function at once, shared by the
// cross-module and edge kernels. Depends on vfio/msix.h, vfio/msix_vectors.h and
// runner/kernel.h only.
#pragma once

#include <cstdint>

#include "kernels/kernel_types.h"
#include "vfio/result.h"

namespace vfio_kernels::internal {

// A function of `vectors` vectors (table at 0 and PBA at 0x8000 of a 64 KiB BAR 3). The
// guest programs and unmasks the first `active` entries with distinct messages, the VMM
// configures and enables the same vectors, the guest enables MSI-X (function-masked first
// when mask_function_first, then unmasked). Every vector fires once.
//
// KT_CHECKs: enabled == configured == active; each vector is delivered exactly once, with
// its own message (directly, or when the function mask clears); nothing stays pending.
// Errors: the first refusal of MsixState or MsixVectors (a count outside 1..2048, or an
// active vector past the function's end).
vfio::Result<CoexistView> DriveVectors(std::uint32_t vectors, std::uint32_t active,
                                       bool mask_function_first);

}  // namespace vfio_kernels::internal
