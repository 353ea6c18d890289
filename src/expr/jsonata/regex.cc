#include "expr/jsonata/regex.h"

#include <boost/regex.hpp>

#include "expr/jsonata/errors.h"

namespace stepline::jsonata {
namespace {

class BoostRegex final : public Regex {
 public:
  BoostRegex(std::string pattern, boost::regex re) : pattern_(std::move(pattern)), re_(std::move(re)) {}

  bool Search(const std::string& s, size_t from, RegexMatch* m) const override {
    if (from > s.size()) return false;
    // Reused so its sub-match storage is allocated once per thread, not per
    // search (nothing re-enters Search while `what` is in use).
    thread_local boost::smatch what;
    auto flags = boost::match_default | boost::match_not_dot_newline;
    if (from > 0) flags |= boost::match_prev_avail;
    try {
      if (!boost::regex_search(s.begin() + static_cast<long>(from), s.end(), what, re_, flags))
        return false;
    } catch (const std::exception&) {
      // Boost gives up on pathological backtracking instead of hanging.
      Throw("D1004", {.message = "regular expression too complex"});
    }
    m->start = static_cast<size_t>(what[0].first - s.begin());
    m->end = static_cast<size_t>(what[0].second - s.begin());
    m->groups.resize(what.size() - 1);
    for (size_t i = 1; i < what.size(); ++i) {
      if (what[i].matched) m->groups[i - 1].assign(what[i].first, what[i].second);
      else m->groups[i - 1].clear();
    }
    return true;
  }
  const std::string& pattern() const override { return pattern_; }

 private:
  std::string pattern_;
  boost::regex re_;
};

}  // namespace

std::shared_ptr<Regex> CompileRegex(const std::string& pattern, const std::string& flags) {
  auto opts = boost::regex::perl | boost::regex::no_mod_s;
  if (flags.find('m') == std::string::npos) opts |= boost::regex::no_mod_m;
  if (flags.find('i') != std::string::npos) opts |= boost::regex::icase;
  try {
    return std::make_shared<BoostRegex>(pattern, boost::regex(pattern, opts));
  } catch (const std::exception& e) {
    Throw("S0302", {.message = e.what()});
  }
}

}  // namespace stepline::jsonata
