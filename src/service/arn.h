#pragma once
// ARNs and names as Step Functions forms and checks them.

#include <optional>
#include <string>
#include <string_view>

namespace stepline::service {

struct Account {
  std::string partition = "aws";
  std::string region = "us-east-1";
  std::string account = "123456789012";
};

std::string StateMachineArn(const Account& a, std::string_view name);
std::string ActivityArn(const Account& a, std::string_view name);
std::string ExecutionArn(const Account& a, std::string_view sm_name, std::string_view exec_name);
// Express executions have their own ARN form: ...:express:SM:NAME:UUID.
std::string ExpressExecutionArn(const Account& a, std::string_view sm_name, std::string_view exec_name,
                                std::string_view id);

// "arn:aws:states:R:A:stateMachine:NAME[:QUALIFIER]".
struct StateMachineRef {
  std::string unqualified;  // the state machine's ARN
  std::string name;
  std::string qualifier;    // a version number or an alias name; empty when none
  bool is_version() const { return !qualifier.empty() && qualifier.find_first_not_of("0123456789") == std::string::npos; }
};
std::optional<StateMachineRef> ParseStateMachineArn(std::string_view arn);

struct ExecutionRef {
  std::string state_machine_name;
  std::string name;
  bool express = false;
};
std::optional<ExecutionRef> ParseExecutionArn(std::string_view arn);
bool IsActivityArn(std::string_view arn);

// Names of state machines, executions, activities and aliases: 1-80
// characters, none of whitespace, < > { } [ ] ? * " # % \ ^ | ~ ` $ & , ; : /
// or control characters.
bool IsValidName(std::string_view name);

}  // namespace stepline::service
