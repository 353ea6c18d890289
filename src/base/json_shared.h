#pragma once
// Writing a tree whose values share nodes once per node, not once per place.
//
// A saved execution holds the same document in several places (the
// execution's input, a state's input, its effective input, a Map's items):
// in memory those are one reference-counted node, but a JSON dump writes
// each place in full. PackShared moves every sizeable node that is reached
// more than once into a table and leaves null plus a link in its places;
// UnpackShared puts the links back, so the nodes are shared again in memory.
//
//   {"tree": T, "shared": [S0, S1, ...], "links": [[owner, [key or index, ...], k], ...]}
//
// owner is -1 for T or i for Si; the path leads from it to a null that stands
// for Sk. Paths rather than marker objects: no user value can be mistaken
// for a link.

#include <cstddef>

#include "base/json.h"
#include "base/status.h"

namespace stepline {

// Nodes of at least `min_bytes` (their JSON text, roughly) reached at least
// twice are written once.
Json PackShared(const Json& root, size_t min_bytes = 256);
Result<Json> UnpackShared(const Json& packed);

}  // namespace stepline
