#include "service/arn.h"

#include <fmt/format.h>

#include <vector>

namespace stepline::service {

namespace {
std::string Prefix(const Account& a) { return fmt::format("arn:{}:states:{}:{}:", a.partition, a.region, a.account); }

std::vector<std::string_view> Split(std::string_view s, char c) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (;;) {
    size_t p = s.find(c, start);
    if (p == std::string_view::npos) {
      out.push_back(s.substr(start));
      return out;
    }
    out.push_back(s.substr(start, p - start));
    start = p + 1;
  }
}
}  // namespace

std::string StateMachineArn(const Account& a, std::string_view name) {
  return Prefix(a) + "stateMachine:" + std::string(name);
}
std::string ActivityArn(const Account& a, std::string_view name) { return Prefix(a) + "activity:" + std::string(name); }
std::string ExecutionArn(const Account& a, std::string_view sm, std::string_view name) {
  return Prefix(a) + "execution:" + std::string(sm) + ":" + std::string(name);
}
std::string ExpressExecutionArn(const Account& a, std::string_view sm, std::string_view name, std::string_view id) {
  return Prefix(a) + "express:" + std::string(sm) + ":" + std::string(name) + ":" + std::string(id);
}

std::optional<StateMachineRef> ParseStateMachineArn(std::string_view arn) {
  auto p = Split(arn, ':');
  if (p.size() < 7 || p.size() > 8 || p[0] != "arn" || p[2] != "states" || p[5] != "stateMachine") return std::nullopt;
  if (p[6].empty() || (p.size() == 8 && p[7].empty())) return std::nullopt;
  StateMachineRef r;
  r.name = std::string(p[6]);
  r.unqualified = std::string(arn.substr(0, arn.size() - (p.size() == 8 ? p[7].size() + 1 : 0)));
  if (p.size() == 8) r.qualifier = std::string(p[7]);
  return r;
}

std::optional<ExecutionRef> ParseExecutionArn(std::string_view arn) {
  auto p = Split(arn, ':');
  if (p.size() < 8 || p[0] != "arn" || p[2] != "states") return std::nullopt;
  ExecutionRef r;
  if (p[5] == "execution" && p.size() == 8) {
    r.state_machine_name = std::string(p[6]);
    r.name = std::string(p[7]);
  } else if (p[5] == "express" && p.size() == 9) {
    r.state_machine_name = std::string(p[6]);
    r.name = std::string(p[7]);
    r.express = true;
  } else {
    return std::nullopt;
  }
  if (r.state_machine_name.empty() || r.name.empty()) return std::nullopt;
  return r;
}

bool IsActivityArn(std::string_view arn) {
  auto p = Split(arn, ':');
  return p.size() == 7 && p[0] == "arn" && p[2] == "states" && p[5] == "activity" && !p[6].empty();
}

bool IsValidName(std::string_view name) {
  if (name.empty() || name.size() > 80) return false;
  static constexpr std::string_view kBad = " <>{}[]?*\"#%\\^|~`$&,;:/";
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f)) return false;
    if (kBad.find(static_cast<char>(c)) != std::string_view::npos) return false;
    if (c == '\t' || c == '\n' || c == '\r') return false;
  }
  return true;
}

}  // namespace stepline::service
