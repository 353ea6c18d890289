#include "base/json_shared.h"

#include <unordered_map>
#include <vector>

namespace stepline {
namespace {

struct NodeInfo {
  size_t visits = 0;
  size_t bytes = 0;     // roughly the length of its JSON text
  int index = -1;       // its place in "shared" once chosen
  int dirty = -1;       // 1 when a shared node lies inside it (computed once)
};

class Packer {
 public:
  explicit Packer(size_t min_bytes) : min_bytes_(min_bytes) {}

  Json Pack(const Json& root) {
    Count(root);
    Json tree = Rebuild(root, -1, /*entry=*/false);
    // Rebuilding an entry can discover further entries: a worklist, not recursion.
    for (size_t k = 0; k < entries_.size(); ++k) shared_.Push(Rebuild(*entries_[k], static_cast<int>(k), true));
    Json out = Json::EmptyObject();
    out.Set("tree", std::move(tree));
    out.Set("shared", std::move(shared_));
    out.Set("links", std::move(links_));
    return out;
  }

 private:
  static bool Counted(const Json& v) {
    return v.is_array() || v.is_object() || (v.is_string() && v.node_identity());
  }

  // Visits each node once; returns its size estimate.
  size_t Count(const Json& v) {
    if (!Counted(v)) return v.is_string() ? v.get_string().size() + 2 : 8;
    NodeInfo& n = info_[v.node_identity()];
    if (n.visits++) return n.bytes;
    size_t bytes = 2;
    if (v.is_array()) {
      for (const Json& c : v.get_array()) bytes += Count(c) + 1;
    } else if (v.is_object()) {
      for (const auto& m : v.get_object()) bytes += m.key.size() + 4 + Count(m.value);
    } else {
      bytes += v.get_string().size();
    }
    info_[v.node_identity()].bytes = bytes;  // the map may have rehashed: look it up again
    return bytes;
  }

  bool IsShared(const Json& v) {
    if (!Counted(v)) return false;
    const NodeInfo& n = info_.at(v.node_identity());
    return n.visits > 1 && n.bytes >= min_bytes_;
  }

  bool Dirty(const Json& v) {
    if (!v.is_array() && !v.is_object()) return false;
    NodeInfo& n = info_.at(v.node_identity());
    if (n.dirty >= 0) return n.dirty;
    bool d = false;
    if (v.is_array()) {
      for (const Json& c : v.get_array())
        if (IsShared(c) || Dirty(c)) d = true;
    } else {
      for (const auto& m : v.get_object())
        if (IsShared(m.value) || Dirty(m.value)) d = true;
    }
    info_.at(v.node_identity()).dirty = d;
    return d;
  }

  // A copy of v with every shared node below it replaced by null and a link;
  // untouched subtrees are the same nodes, not copies.
  Json Rebuild(const Json& v, int owner, bool entry) {
    if (!entry && IsShared(v)) {
      Link(owner, Index(v));
      return Json();
    }
    if (!Dirty(v)) return v;
    if (v.is_array()) {
      Json::Array items;
      items.reserve(v.size());
      for (size_t i = 0; i < v.size(); ++i) {
        path_.Push(Json(static_cast<int64_t>(i)));
        items.push_back(Rebuild(v[i], owner, false));
        path_.mutable_array().pop_back();
      }
      return Json(std::move(items));
    }
    Json::Object members;
    members.reserve(v.size());
    for (const auto& m : v.get_object()) {
      path_.Push(Json(m.key));
      members.push_back(Json::Member{m.key, Rebuild(m.value, owner, false)});
      path_.mutable_array().pop_back();
    }
    return Json(std::move(members));
  }

  int Index(const Json& v) {
    NodeInfo& n = info_.at(v.node_identity());
    if (n.index < 0) {
      n.index = static_cast<int>(entries_.size());
      entries_.push_back(&v);
    }
    return n.index;
  }

  void Link(int owner, int index) {
    Json l = Json::EmptyArray();
    l.Push(Json(owner));
    // A copy of the path: path_ keeps changing.
    l.Push(Json(Json::Array(path_.get_array())));
    l.Push(Json(index));
    links_.Push(std::move(l));
  }

  size_t min_bytes_;
  std::unordered_map<const void*, NodeInfo> info_;
  std::vector<const Json*> entries_;  // point into the root, which outlives the packer
  Json shared_ = Json::EmptyArray();
  Json links_ = Json::EmptyArray();
  Json path_ = Json::EmptyArray();
};

Status Bad(const std::string& what) { return Status::Error("InvalidSnapshot", "shared-value table: " + what); }

class Unpacker {
 public:
  explicit Unpacker(const Json& packed) : packed_(packed) {}

  Result<Json> Unpack() {
    const Json* tree = packed_.find("tree");
    const Json* shared = packed_.find("shared");
    const Json* links = packed_.find("links");
    if (!tree || !shared || !shared->is_array() || !links || !links->is_array()) return Bad("malformed");
    shared_ = shared;
    by_owner_.resize(shared->size() + 1);
    for (const Json& l : links->get_array()) {
      if (!l.is_array() || l.size() != 3 || !l[0].is_int() || !l[1].is_array() || !l[2].is_int())
        return Bad("malformed link");
      int64_t owner = l[0].get_int(), k = l[2].get_int();
      if (owner < -1 || owner >= static_cast<int64_t>(shared->size()) || k < 0 ||
          k >= static_cast<int64_t>(shared->size()))
        return Bad("link out of range");
      by_owner_[owner + 1].push_back(&l);
    }
    done_.assign(shared->size(), Json());
    state_.assign(shared->size(), 0);
    return Resolve(*tree, -1);
  }

 private:
  // v with the links owned by `owner` put in; entries are resolved once each.
  Result<Json> Resolve(Json v, int64_t owner) {
    for (const Json* l : by_owner_[owner + 1]) {
      int64_t k = (*l)[2].get_int();
      if (state_[k] == 1) return Bad("cycle");
      if (state_[k] == 0) {
        state_[k] = 1;
        auto r = Resolve((*shared_)[k], k);
        if (!r.ok()) return r.status();
        done_[k] = std::move(*r);
        state_[k] = 2;
      }
      Json* at = &v;
      for (const Json& step : (*l)[1].get_array()) {
        if (step.is_int() && at->is_array() && step.get_int() >= 0 &&
            static_cast<size_t>(step.get_int()) < at->size()) {
          at = &at->mutable_array()[step.get_int()];
        } else if (step.is_string() && at->is_object()) {
          Json* next = nullptr;
          for (auto& m : at->mutable_object())
            if (m.key == step.get_string()) {
              next = &m.value;
              break;
            }
          if (!next) return Bad("link path not found");
          at = next;
        } else {
          return Bad("link path not found");
        }
      }
      if (!at->is_null()) return Bad("link does not lead to null");
      *at = done_[k];
    }
    return v;
  }

  const Json& packed_;
  const Json* shared_ = nullptr;
  std::vector<std::vector<const Json*>> by_owner_;  // index owner + 1
  std::vector<Json> done_;
  std::vector<int> state_;  // 0 not yet, 1 resolving, 2 done
};

}  // namespace

Json PackShared(const Json& root, size_t min_bytes) { return Packer(min_bytes).Pack(root); }

Result<Json> UnpackShared(const Json& packed) {
  if (!packed.is_object()) return Bad("not an object");
  return Unpacker(packed).Unpack();
}

}  // namespace stepline
