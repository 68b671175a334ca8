// Seeder test input: helpers of harvest.cc defined in two other translation units, so
// harvesting must cross files. Standard C++ only.
#pragma once

namespace harvest {

int Deep1(int v);  // harvest_helper.cc
int Deep2(int v);  // harvest_helper.cc
int Deep3(int v);  // harvest_far.cc
int Deep4(int v);  // harvest_far.cc

}  // namespace harvest
