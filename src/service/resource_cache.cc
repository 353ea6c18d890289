#include "service/resource_cache.h"

namespace stepline::service {

Status ResourceCache::PutResource(const store::Resource& r, bool create_only) {
  std::lock_guard<std::mutex> l(mu_);  // held across the write: a reader never sees a stale record after it
  Status st = inner_.PutResource(r, create_only);
  if (st.ok())
    cache_[r.arn] = std::make_shared<const store::Resource>(r);
  else
    cache_.erase(r.arn);
  return st;
}

Result<store::Resource> ResourceCache::GetResource(const std::string& arn) {
  {
    std::lock_guard<std::mutex> l(mu_);
    auto it = cache_.find(arn);
    if (it != cache_.end()) return *it->second;
  }
  auto r = inner_.GetResource(arn);
  if (r.ok()) {
    std::lock_guard<std::mutex> l(mu_);
    cache_.emplace(arn, std::make_shared<const store::Resource>(*r));
  }
  return r;
}

Status ResourceCache::DeleteResource(const std::string& arn) {
  std::lock_guard<std::mutex> l(mu_);
  cache_.erase(arn);
  return inner_.DeleteResource(arn);
}

}  // namespace stepline::service
