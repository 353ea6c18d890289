"""A local Lambda function: reads the event on stdin, prints the result."""
import json
import sys

PRICES = {"pen": 150, "ink": 900, "pad": 420}
event = json.load(sys.stdin)
if event["sku"] not in PRICES:
    print(json.dumps({"errorType": "UnknownSku", "errorMessage": event["sku"], "stackTrace": []}))
    sys.exit(1)
print(json.dumps({**event, "cents": PRICES[event["sku"]] * event["qty"]}))
