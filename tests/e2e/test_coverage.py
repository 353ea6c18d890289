"""Bookkeeping: every operation of the service model is called through boto3
somewhere in this suite (no server needed)."""
import glob
import os
import re
import unittest

import botocore.session

HERE = os.path.dirname(os.path.abspath(__file__))


def snake(name):
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


class Coverage(unittest.TestCase):
    def test_every_operation_is_exercised_with_boto3(self):
        model = botocore.session.get_session().get_service_model("stepfunctions")
        ops = list(model.operation_names)
        self.assertGreaterEqual(len(ops), 37)
        text = ""
        for p in glob.glob(os.path.join(HERE, "test_*.py")):
            if not p.endswith("test_coverage.py"):
                with open(p) as f:
                    text += f.read()
        # Called (`.op(`), passed to assertAwsError (`.op,`), or named for a paginator (`"op"`).
        missing = [o for o in ops if not re.search(rf'\.{snake(o)}[(,]|"{snake(o)}"', text)]
        self.assertEqual(missing, [])


if __name__ == "__main__":
    unittest.main()
