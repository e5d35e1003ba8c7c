using Lamina.Aws.Api;
using Lamina.Aws.Lambda;
using Lamina.Testing;
using Lamina.Tests.Shared;
using D = System.Collections.Generic.Dictionary<string, object?>;

namespace Lamina.Aws.Tests.Api;

public class HttpApiTests
{
    private static Function Python(Construct scope, string id, EventSources handles) =>
        new(scope, id, new CodeFunctionProps { Code = "examples/hello/python", Runtime = Runtime.Python313, Handler = "app.handler", Handles = handles });

    [Fact]
    public void Creates_api_default_stage_integration_route_permission_and_url_output()
    {
        var stack = TestStacks.Create();
        var get = new Function<GetItem>(stack, "GetItem");
        var api = new HttpApi(stack, "Api");
        api.AddRoute("GET /items/{id}", get);

        var t = Template.From(stack);
        t.ResourceCountIs("aws:apigatewayv2:Api", 1);
        t.HasResourceProperties("aws:apigatewayv2:Api", Match.ObjectEquals(new D { ["name"] = "shop-dev-Api", ["protocolType"] = "HTTP" }));
        t.HasResourceProperties("aws:apigatewayv2:Stage", Match.ObjectEquals(new D { ["apiId"] = "${Api.id}", ["name"] = "$default", ["autoDeploy"] = true }));
        t.ResourceCountIs("aws:apigatewayv2:Integration", 1);
        t.HasResourceProperties("aws:apigatewayv2:Integration", Match.ObjectEquals(new D
        {
            ["apiId"] = "${Api.id}",
            ["integrationType"] = "AWS_PROXY",
            ["integrationMethod"] = "POST",
            ["integrationUri"] = "${GetItem.invokeArn}",
            ["payloadFormatVersion"] = "2.0",
        }));
        t.HasResourceProperties("aws:apigatewayv2:Route", Match.ObjectEquals(new D
        {
            ["apiId"] = "${Api.id}",
            ["routeKey"] = "GET /items/{id}",
            ["target"] = "integrations/${Api-Integrations-GetItem.id}",
            ["authorizationType"] = "NONE",
        }));
        t.HasResourceProperties("aws:lambda:Permission", Match.ObjectEquals(new D
        {
            ["action"] = "lambda:InvokeFunction",
            ["function"] = "${GetItem.name}",
            ["principal"] = "apigateway.amazonaws.com",
            ["sourceArn"] = "${Api.executionArn}/*/GET/items/{id}",
        }));
        Assert.Contains("Api-Routes-GET-items-id", t.FindResources("aws:apigatewayv2:Route").Keys);
        t.HasOutput("ApiUrl", "${Api-Stage.invokeUrl}");
        Assert.Equal("ApiUrl", api.UrlOutputName);
        Assert.Same(get, api.Function("GET /items/{id}"));
        Assert.Empty(t.Warnings);

        var check = CheckPulumiYaml.Check(stack.Synth().Yaml);
        Assert.True(check.Errors == 0 && check.BroadWildcards == 0, check.Output);
    }

    [Fact]
    public void A_full_featured_api_passes_check_pulumi_yaml()
    {
        var stack = TestStacks.Create();
        var api = new HttpApi(stack, "Api", new()
        {
            Cors = new() { AllowOrigins = ["https://shop.example.com"], AllowMethods = ["*"], AllowCredentials = true, MaxAge = TimeSpan.FromHours(1) },
            JwtAuthorizer = new() { Issuer = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc", Audiences = ["client-1"] },
            AccessLogs = new(),
        });
        api.AddRoute("GET /items/{id}", new Function<GetItem>(stack, "Get"), new() { Authorization = RouteAuthorization.Jwt, Scopes = ["items/read"] });
        api.AddRoute("PUT /items/{id}", new Function<PutItem>(stack, "Put"), new() { Authorization = RouteAuthorization.Iam });
        api.AddRouteV1("ANY /legacy/{proxy+}", new Function<LegacyItem>(stack, "Legacy"));
        api.AddRoute("$default", new Function(stack, "Py", new CodeFunctionProps { Code = "examples/hello/python", Runtime = Runtime.Python313, Handler = "app.handler", Handles = EventSources.HttpApi }));
        var t = Template.From(stack);
        t.ResourceCountIs("aws:apigatewayv2:Route", 4);
        t.ResourceCountIs("aws:lambda:Permission", 4);
        Assert.Empty(t.Warnings);
        var check = CheckPulumiYaml.Check(stack.Synth().Yaml);
        Assert.True(check.Errors == 0 && check.BroadWildcards == 0, check.Output);
    }

    [Theory]
    [InlineData("GET /items/{id}", "${Api.executionArn}/*/GET/items/{id}")]
    [InlineData("POST /items", "${Api.executionArn}/*/POST/items")]
    [InlineData("ANY /items", "${Api.executionArn}/*/*/items")]
    [InlineData("ANY /{proxy+}", "${Api.executionArn}/*/*/{proxy+}")]
    [InlineData("GET /", "${Api.executionArn}/*/GET/")]
    [InlineData("$default", "${Api.executionArn}/*/$default")]
    public void Each_permission_is_scoped_to_this_api_and_its_route(string routeKey, string sourceArn)
    {
        var stack = TestStacks.Create();
        new HttpApi(stack, "Api").AddRoute(routeKey, new Function<GetItem>(stack, "GetItem"));
        var permissions = Template.From(stack).FindResources("aws:lambda:Permission");
        var only = Assert.Single(permissions);
        Assert.Equal(sourceArn, only.Value["properties"]!["sourceArn"]!.GetValue<string>());
    }

    [Fact]
    public void One_integration_per_function_and_one_permission_per_route()
    {
        var stack = TestStacks.Create();
        var get = new Function<GetItem>(stack, "GetItem");
        var put = new Function<PutItem>(stack, "PutItem");
        var api = new HttpApi(stack, "Api")
            .AddRoute("GET /items/{id}", get)
            .AddRoute("GET /items", get)
            .AddRoute("PUT /items/{id}", put);
        var t = Template.From(stack);
        t.ResourceCountIs("aws:apigatewayv2:Integration", 2);
        t.ResourceCountIs("aws:apigatewayv2:Route", 3);
        t.ResourceCountIs("aws:lambda:Permission", 3);
        t.ResourcePropertiesCountIs("aws:apigatewayv2:Route", new D { ["target"] = "integrations/${Api-Integrations-GetItem.id}" }, 2);
        t.HasResourceProperties("aws:lambda:Permission", new D { ["function"] = "${PutItem.name}", ["sourceArn"] = "${Api.executionArn}/*/PUT/items/{id}" });
        Assert.Equal(3, api.Routes.Count);
        Assert.Same(put, api.Function("PUT /items/{id}"));
        var e = Assert.Throws<ArgumentException>(() => api.Function("DELETE /items/{id}"));
        Assert.Contains("'GET /items/{id}'", e.Message);
    }

    [Fact]
    public void Payload_1_0_routes_get_their_own_integration_and_declared_functions_are_checked()
    {
        var stack = TestStacks.Create();
        var legacy = new Function<LegacyItem>(stack, "Legacy");
        var py = Python(stack, "Py", EventSources.HttpApi);
        var api = new HttpApi(stack, "Api");
        api.AddRouteV1("GET /legacy", legacy);
        api.AddRoute("GET /py", py);
        var t = Template.From(stack);
        t.HasResourceProperties("aws:apigatewayv2:Integration", new D { ["integrationUri"] = "${Legacy.invokeArn}", ["payloadFormatVersion"] = "1.0" });
        t.HasResourceProperties("aws:apigatewayv2:Integration", new D { ["integrationUri"] = "${Py.invokeArn}", ["payloadFormatVersion"] = "2.0" });
        Assert.Contains("Api-Integrations-Legacy-v1", t.FindResources("aws:apigatewayv2:Integration").Keys);
    }

    [Fact]
    public void A_declared_function_that_does_not_handle_http_api_events_is_an_error()
    {
        var stack = TestStacks.Create();
        var api = new HttpApi(stack, "Api");
        api.AddRoute("GET /a", Python(stack, "Sqs", EventSources.Sqs));
        api.AddRouteV1("GET /b", Python(stack, "Http", EventSources.HttpApi));
        var e = TestStacks.SynthFails(stack);
        Assert.Contains(e.Errors, x => x.Path == "shop/Api" && x.Message.Contains("shop/Sqs") && x.Message.Contains("HttpApi"));
        Assert.Contains(e.Errors, x => x.Path == "shop/Api" && x.Message.Contains("shop/Http") && x.Message.Contains("RestApi"));
    }

    [Fact]
    public void Duplicate_route_keys_are_errors_naming_the_key()
    {
        var stack = TestStacks.Create();
        var api = new HttpApi(stack, "Api");
        api.AddRoute("GET /items/{id}", new Function<GetItem>(stack, "A"));
        api.AddRoute("GET /items/{id}", new Function<PutItem>(stack, "B"));
        api.AddRoute("GET /items/{itemId}", new Function<PutItem>(stack, "C"));
        var e = TestStacks.SynthFails(stack);
        Assert.Equal(2, e.Errors.Count);
        Assert.All(e.Errors, x => Assert.Equal(("shop/Api", "routeKey"), (x.Path, x.Property)));
        Assert.Contains(e.Errors, x => x.Message.Contains("'GET /items/{id}' is added twice") && x.Message.Contains("shop/A") && x.Message.Contains("shop/B"));
        Assert.Contains(e.Errors, x => x.Message.Contains("'GET /items/{itemId}' matches the same requests as 'GET /items/{id}'"));
    }

    [Fact]
    public void Routes_whose_construct_ids_collide_get_distinct_names()
    {
        var stack = TestStacks.Create();
        var fn = new Function<GetItem>(stack, "Fn");
        new HttpApi(stack, "Api").AddRoute("GET /items/id", fn).AddRoute("GET /items/{id}", fn);
        var routes = Template.From(stack).FindResources("aws:apigatewayv2:Route");
        Assert.Equal(2, routes.Count);
        Assert.Contains("Api-Routes-GET-items-id", routes.Keys);
        Assert.Contains(routes.Keys, k => k.StartsWith("Api-Routes-GET-items-id-", StringComparison.Ordinal));
    }

    [Fact]
    public void Cors_is_written_to_the_api()
    {
        var stack = TestStacks.Create();
        new HttpApi(stack, "Api", new()
        {
            Cors = new()
            {
                AllowOrigins = ["https://shop.example.com"],
                AllowMethods = ["GET", "POST"],
                AllowHeaders = ["content-type", "authorization"],
                ExposeHeaders = ["x-request-id"],
                MaxAge = TimeSpan.FromMinutes(10),
                AllowCredentials = true,
            },
        }).AddRoute("GET /x", new Function<GetItem>(stack, "Fn"));
        var t = Template.From(stack);
        t.HasResourceProperties("aws:apigatewayv2:Api", new D
        {
            ["corsConfiguration"] = Match.ObjectEquals(new D
            {
                ["allowCredentials"] = true,
                ["allowHeaders"] = new[] { "content-type", "authorization" },
                ["allowMethods"] = new[] { "GET", "POST" },
                ["allowOrigins"] = new[] { "https://shop.example.com" },
                ["exposeHeaders"] = new[] { "x-request-id" },
                ["maxAge"] = 600,
            }),
        });
    }

    [Theory]
    [InlineData("*", true, 0, "Cors.AllowCredentials", "cannot use the origin '*'")]
    [InlineData("shop.example.com", false, 0, "Cors.AllowOrigins", "'https://www.example.com'")]
    [InlineData("https://a.example.com", false, 86401, "Cors.MaxAge", "0-86,400 seconds")]
    [InlineData("https://a.example.com", false, -1, "Cors.MaxAge", "0-86,400 seconds")]
    public void Invalid_cors_is_an_error_naming_the_property_and_what_is_allowed(string origin, bool credentials, int maxAge, string property, string allowed)
    {
        var stack = TestStacks.Create();
        new HttpApi(stack, "Api", new()
        {
            Cors = new() { AllowOrigins = [origin], AllowCredentials = credentials, MaxAge = maxAge == 0 ? null : TimeSpan.FromSeconds(maxAge) },
        }).AddRoute("GET /x", new Function<GetItem>(stack, "Fn"));
        var error = Assert.Single(TestStacks.SynthFails(stack).Errors);
        Assert.Equal(("shop/Api", property), (error.Path, error.Property));
        Assert.Contains(allowed, error.Message);
    }

    [Fact]
    public void Cors_methods_must_be_http_methods_or_star()
    {
        var stack = TestStacks.Create();
        new HttpApi(stack, "Api", new() { Cors = new() { AllowOrigins = ["*"], AllowMethods = ["FETCH"] } })
            .AddRoute("GET /x", new Function<GetItem>(stack, "Fn"));
        var error = Assert.Single(TestStacks.SynthFails(stack).Errors);
        Assert.Equal(("shop/Api", "Cors.AllowMethods"), (error.Path, error.Property));
        Assert.Contains("GET, POST, PUT, DELETE, PATCH, HEAD, OPTIONS, *", error.Message);
    }

    [Fact]
    public void Jwt_authorizer_and_jwt_routes_with_scopes()
    {
        var stack = TestStacks.Create();
        var api = new HttpApi(stack, "Api", new()
        {
            JwtAuthorizer = new() { Issuer = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc", Audiences = ["client-1"] },
        });
        api.AddRoute("GET /me", new Function<GetItem>(stack, "Me"), new() { Authorization = RouteAuthorization.Jwt, Scopes = ["orders/read"] });
        api.AddRoute("GET /public", new Function<PutItem>(stack, "Public"));
        var t = Template.From(stack);
        t.HasResourceProperties("aws:apigatewayv2:Authorizer", Match.ObjectEquals(new D
        {
            ["apiId"] = "${Api.id}",
            ["authorizerType"] = "JWT",
            ["identitySources"] = new[] { "$request.header.Authorization" },
            ["jwtConfiguration"] = new D { ["audiences"] = new[] { "client-1" }, ["issuer"] = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc" },
            ["name"] = "jwt",
        }));
        t.HasResourceProperties("aws:apigatewayv2:Route", new D
        {
            ["routeKey"] = "GET /me",
            ["authorizationType"] = "JWT",
            ["authorizerId"] = "${Api-JwtAuthorizer.id}",
            ["authorizationScopes"] = new[] { "orders/read" },
        });
        t.HasResourceProperties("aws:apigatewayv2:Route", new D { ["routeKey"] = "GET /public", ["authorizationType"] = "NONE", ["authorizerId"] = Match.Absent() });
        Assert.NotNull(api.Authorizer);
    }

    [Fact]
    public void Default_authorization_applies_to_routes_that_do_not_set_one()
    {
        var stack = TestStacks.Create();
        var api = new HttpApi(stack, "Api", new()
        {
            JwtAuthorizer = new() { Issuer = "https://issuer.example.com", Audiences = ["a"] },
            DefaultAuthorization = RouteAuthorization.Jwt,
        });
        api.AddRoute("GET /a", new Function<GetItem>(stack, "A"));
        api.AddRoute("GET /b", new Function<PutItem>(stack, "B"), new() { Authorization = RouteAuthorization.None });
        var t = Template.From(stack);
        t.HasResourceProperties("aws:apigatewayv2:Route", new D { ["routeKey"] = "GET /a", ["authorizationType"] = "JWT" });
        t.HasResourceProperties("aws:apigatewayv2:Route", new D { ["routeKey"] = "GET /b", ["authorizationType"] = "NONE" });
    }

    [Fact]
    public void Jwt_misconfiguration_is_reported()
    {
        var stack = TestStacks.Create();
        var bad = new HttpApi(stack, "Bad", new() { JwtAuthorizer = new() { Issuer = "http://issuer.example.com", Audiences = [] } });
        bad.AddRoute("GET /a", new Function<GetItem>(stack, "A"));
        var none = new HttpApi(stack, "NoAuthorizer");
        none.AddRoute("GET /b", new Function<GetItem>(stack, "B"), new() { Authorization = RouteAuthorization.Jwt });
        none.AddRoute("GET /c", new Function<GetItem>(stack, "C"), new() { Authorization = RouteAuthorization.Iam, Scopes = ["x"] });
        var errors = TestStacks.SynthFails(stack).Errors;
        Assert.Contains(errors, x => x.Path == "shop/Bad" && x.Property == "JwtAuthorizer.Issuer" && x.Message.Contains("https://"));
        Assert.Contains(errors, x => x.Path == "shop/Bad" && x.Property == "JwtAuthorizer.Audiences" && x.Message.Contains("at least one audience"));
        Assert.Contains(errors, x => x.Path == "shop/NoAuthorizer" && x.Property == "Authorization" && x.Message.Contains("'GET /b'") && x.Message.Contains("JwtAuthorizer"));
        Assert.Contains(errors, x => x.Path == "shop/NoAuthorizer" && x.Property == "Scopes" && x.Message.Contains("'GET /c'") && x.Message.Contains("JWT routes only"));
    }

    [Fact]
    public void Iam_routes_use_aws_iam_authorization()
    {
        var stack = TestStacks.Create();
        new HttpApi(stack, "Api").AddRoute("POST /orders", new Function<PutItem>(stack, "Place"), new() { Authorization = RouteAuthorization.Iam });
        Template.From(stack).HasResourceProperties("aws:apigatewayv2:Route", new D
        {
            ["routeKey"] = "POST /orders",
            ["authorizationType"] = "AWS_IAM",
            ["authorizerId"] = Match.Absent(),
        });
    }

    [Fact]
    public void Access_logs_create_a_log_group_and_json_stage_settings()
    {
        var stack = TestStacks.Create();
        var api = new HttpApi(stack, "Api", new() { AccessLogs = new() { RetentionDays = 30 } });
        api.AddRoute("GET /x", new Function<GetItem>(stack, "Fn"));
        var t = Template.From(stack);
        t.HasResourceProperties("aws:cloudwatch:LogGroup", Match.ObjectEquals(new D { ["name"] = "/aws/apigateway/shop-dev-Api", ["retentionInDays"] = 30 }));
        var format = new Capture();
        t.HasResourceProperties("aws:apigatewayv2:Stage", new D
        {
            ["accessLogSettings"] = Match.ObjectEquals(new D { ["destinationArn"] = "${Api-AccessLogs.arn}", ["format"] = format }),
        });
        var json = System.Text.Json.Nodes.JsonNode.Parse(format.AsString())!.AsObject();
        Assert.Equal("$context.requestId", json["requestId"]!.GetValue<string>());
        Assert.Equal("$context.routeKey", json["routeKey"]!.GetValue<string>());
        Assert.Equal("$context.status", json["status"]!.GetValue<string>());
        Assert.Equal(HttpApi.DefaultAccessLogFormat, format.AsString());
        Assert.NotNull(api.AccessLogGroup);
    }

    [Fact]
    public void Access_log_format_and_retention_are_validated()
    {
        var stack = TestStacks.Create();
        new HttpApi(stack, "Api", new() { AccessLogs = new() { RetentionDays = 2, Format = "$context.status" } })
            .AddRoute("GET /x", new Function<GetItem>(stack, "Fn"));
        var errors = TestStacks.SynthFails(stack).Errors;
        Assert.Contains(errors, x => x.Path == "shop/Api" && x.Property == "AccessLogs.RetentionDays" && x.Message.Contains("one of 1, 3, 5"));
        Assert.Contains(errors, x => x.Path == "shop/Api" && x.Property == "AccessLogs.Format" && x.Message.Contains("$context.requestId"));
    }

    [Fact]
    public void The_url_output_can_be_renamed_or_left_out()
    {
        var stack = TestStacks.Create();
        new HttpApi(stack, "Orders", new() { UrlOutputName = "ordersEndpoint" }).AddRoute("GET /x", new Function<GetItem>(stack, "A"));
        var quiet = new HttpApi(stack, "Quiet", new() { UrlOutput = false });
        quiet.AddRoute("GET /y", new Function<GetItem>(stack, "B"));
        var t = Template.From(stack);
        t.HasOutput("ordersEndpoint", "${Orders-Stage.invokeUrl}");
        Assert.Single(t.FindOutputs());
        Assert.Null(quiet.UrlOutputName);
    }

    [Fact]
    public void A_url_output_name_already_taken_is_an_error()
    {
        var stack = TestStacks.Create();
        stack.AddOutput("ApiUrl", (Lamina.Values.Input<string>)"x");
        new HttpApi(stack, "Api").AddRoute("GET /x", new Function<GetItem>(stack, "A"));
        var error = Assert.Single(TestStacks.SynthFails(stack).Errors);
        Assert.Equal(("shop/Api", "UrlOutputName"), (error.Path, error.Property));
        Assert.Contains("already has an output named 'ApiUrl'", error.Message);
    }

    [Fact]
    public void A_function_timeout_over_30_seconds_is_a_warning()
    {
        var stack = TestStacks.Create();
        var slow = new Function<GetItem>(stack, "Slow", new() { Timeout = TimeSpan.FromSeconds(60) });
        var ok = new Function<PutItem>(stack, "Ok", new() { Timeout = TimeSpan.FromSeconds(30) });
        new HttpApi(stack, "Api").AddRoute("GET /slow", slow).AddRoute("GET /slow2", slow).AddRoute("GET /ok", ok);
        var warning = Assert.Single(Template.From(stack).Warnings);
        Assert.Equal("shop/Api", warning.Path);
        Assert.Contains("shop/Slow", warning.Message);
        Assert.Contains("'GET /slow', 'GET /slow2'", warning.Message);
        Assert.Contains("60 s", warning.Message);
        Assert.Contains("http-api-quotas", warning.Message);
    }

    [Fact]
    public void Cors_with_an_authorized_default_route_is_a_warning()
    {
        var stack = TestStacks.Create();
        new HttpApi(stack, "Api", new() { Cors = new() { AllowOrigins = ["https://a.example.com"] } })
            .AddRoute("$default", new Function<GetItem>(stack, "Fn"), new() { Authorization = RouteAuthorization.Iam });
        var warning = Assert.Single(Template.From(stack).Warnings);
        Assert.Contains("OPTIONS /{proxy+}", warning.Message);
    }

    [Fact]
    public void Transforms_adjust_the_underlying_resources()
    {
        var stack = TestStacks.Create();
        new HttpApi(stack, "Api", new()
        {
            Transform = new()
            {
                Api = a => a.DisableExecuteApiEndpoint = true,
                Integration = i => i.TimeoutMilliseconds = 10000,
                Route = r => r.OperationName = "op",
                Stage = s => s.Description = "live",
            },
        }).AddRoute("GET /x", new Function<GetItem>(stack, "Fn"));
        var t = Template.From(stack);
        t.HasResourceProperties("aws:apigatewayv2:Api", new D { ["disableExecuteApiEndpoint"] = true });
        t.HasResourceProperties("aws:apigatewayv2:Integration", new D { ["timeoutMilliseconds"] = 10000 });
        t.HasResourceProperties("aws:apigatewayv2:Route", new D { ["operationName"] = "op" });
        t.HasResourceProperties("aws:apigatewayv2:Stage", new D { ["description"] = "live" });
    }
}
