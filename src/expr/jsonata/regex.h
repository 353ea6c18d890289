#pragma once
// JSONata regular expressions are JavaScript regexes. We use Boost.Regex in
// Perl mode rather than std::regex: its Perl syntax is a superset of what
// JavaScript accepts (lookbehind, named groups, \d \w \s, lazy quantifiers),
// it matches JavaScript's leftmost-first backtracking semantics, and unlike
// libstdc++'s std::regex it does not recurse per character (no stack
// overflow on long subjects). Flags are mapped so '.' excludes newlines and
// '^'/'$' anchor to the whole string unless 'm' is given, as in JavaScript.

#include <boost/container/small_vector.hpp>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace stepline::jsonata {

// Capture groups 1..n ("" when unmatched); the first few without a heap block.
using RegexGroups = boost::container::small_vector<std::string, 3>;

struct RegexMatch {
  size_t start = 0;  // byte offsets into the subject
  size_t end = 0;
  RegexGroups groups;
};

class Regex {
 public:
  virtual ~Regex() = default;
  // First match at or after byte offset `from`. Thread-safe (const).
  virtual bool Search(const std::string& subject, size_t from, RegexMatch* m) const = 0;
  virtual const std::string& pattern() const = 0;
};

// Throws JError when the pattern does not compile.
std::shared_ptr<Regex> CompileRegex(const std::string& pattern, const std::string& flags);

}  // namespace stepline::jsonata
