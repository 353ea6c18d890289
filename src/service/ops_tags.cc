// Tags on state machines and activities.
#include <mutex>

#include "service/ops.h"

namespace stepline::service::ops {

namespace {

constexpr size_t kMaxTags = 50;
std::mutex g_tags_mu;

Result<store::Resource> Taggable(Engine& e, const std::string& arn) {
  auto sm = ParseStateMachineArn(arn);
  if (!(sm && sm->qualifier.empty()) && !IsActivityArn(arn))
    return BadArn(arn);
  auto r = e.durable().GetResource(arn);
  if (!r.ok()) return Err("ResourceNotFound", "Resource not found: '" + arn + "'");
  return r;
}

void TagResource(Engine& e, const Json& req, Reply done) {
  std::lock_guard<std::mutex> l(g_tags_mu);
  auto r = Taggable(e, Str(req, "resourceArn"));
  if (!r.ok()) return done(r.status());
  Json tags = r->doc.find("tags") ? *r->doc.find("tags") : Json::EmptyObject();
  if (const Json* t = req.find("tags"); t && t->is_array())
    for (const auto& tag : t->get_array()) tags.Set(Str(tag, "key"), Str(tag, "value"));
  if (tags.size() > kMaxTags)
    return done(Err("TooManyTags", "Too many tags: the limit is 50 per resource"));
  store::Resource res = *r;
  res.doc.Set("tags", tags);
  Status st = e.durable().PutResource(res, false);
  if (!st.ok()) return done(FromStore(st, "ResourceNotFound", res.arn));
  done(Json::EmptyObject());
}

void UntagResource(Engine& e, const Json& req, Reply done) {
  std::lock_guard<std::mutex> l(g_tags_mu);
  auto r = Taggable(e, Str(req, "resourceArn"));
  if (!r.ok()) return done(r.status());
  Json tags = r->doc.find("tags") ? *r->doc.find("tags") : Json::EmptyObject();
  if (const Json* keys = req.find("tagKeys"); keys && keys->is_array())
    for (const auto& k : keys->get_array())
      if (k.is_string()) tags.Erase(k.get_string());
  store::Resource res = *r;
  res.doc.Set("tags", tags);
  Status st = e.durable().PutResource(res, false);
  if (!st.ok()) return done(FromStore(st, "ResourceNotFound", res.arn));
  done(Json::EmptyObject());
}

void ListTagsForResource(Engine& e, const Json& req, Reply done) {
  auto r = Taggable(e, Str(req, "resourceArn"));
  if (!r.ok()) return done(r.status());
  Json::Array items;
  if (const Json* tags = r->doc.find("tags"); tags && tags->is_object())
    for (const auto& m : tags->get_object()) {
      Json t = Json::EmptyObject();
      t.Set("key", m.key);
      t.Set("value", m.value);
      items.push_back(std::move(t));
    }
  Json out = Json::EmptyObject();
  out.Set("tags", Json(std::move(items)));
  done(out);
}

}  // namespace

void RegisterTagOps(std::map<std::string, Handler>& t) {
  t["TagResource"] = TagResource;
  t["UntagResource"] = UntagResource;
  t["ListTagsForResource"] = ListTagsForResource;
}

}  // namespace stepline::service::ops
