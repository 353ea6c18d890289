#include "expr/jsonata/functions.h"
namespace stepline::jsonata {
void RegisterAwsFunctions(std::vector<BuiltinDef>& out) {}
}
