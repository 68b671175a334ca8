// Test input of check_snippets_test.cmake: regions, one nested, with ';' and '[' in them.
// [START outer]
int Get(const int* a) { return a[0]; }  // [x]; y
// [START inner]
int Inner();
// [END inner]
// [END outer]
