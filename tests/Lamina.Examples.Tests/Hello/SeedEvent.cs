namespace Lamina.Examples.Tests.Hello;

/// <summary>
/// A REST API proxy event written after the seed note's example (shared/seed/aws-lambda-notes.md): a GET of "/" with
/// the note's headers and its "postcode": 12345 query parameter (a number, as the note writes it).
/// </summary>
internal static class SeedEvent
{
    public const string Json = """
        {
          "resource": "/",
          "path": "/",
          "httpMethod": "GET",
          "requestContext": {
            "resourcePath": "/",
            "httpMethod": "GET",
            "path": "/Prod/",
            "stage": "Prod",
            "requestId": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"
          },
          "headers": {
            "accept": "text/html",
            "accept-encoding": "gzip, deflate, br",
            "Host": "abc123.execute-api.us-east-2.amazonaws.com",
            "User-Agent": "Mozilla/5.0"
          },
          "multiValueHeaders": {
            "accept": ["text/html"],
            "accept-encoding": ["gzip, deflate, br"]
          },
          "queryStringParameters": { "postcode": 12345 },
          "multiValueQueryStringParameters": null,
          "pathParameters": null,
          "stageVariables": null,
          "body": null,
          "isBase64Encoded": false
        }
        """;
}
