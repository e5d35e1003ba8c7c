# The seed note's handler (shared/seed/aws-lambda-notes.md, "How a lambda function looks like?"), kept as written
# except for one fix: the note calls `JSON.dumps(event)`, but Python's module is `json` (lower case) and it was never
# imported, so the note's code raises NameError on the first invocation. Here `json` is imported and `json.dumps`
# is called, as the note's own last sentence says ("looks like `json.dumps(data_to_return)`").
import json


def lambda_handler(event, context):
    # TODO implement
    return {
        'statusCode': 200,
        'body': json.dumps(event)
    }
