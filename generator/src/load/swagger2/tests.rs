use super::*;
use serde_json::json;

fn converted(document: Value) -> Converted {
    convert(&document).unwrap_or_else(|e| panic!("converts: {e}"))
}

fn warnings(converted: &Converted) -> Vec<String> {
    converted.warnings.iter().map(ToString::to_string).collect()
}

fn at<'v>(value: &'v Value, pointer: &str) -> &'v Value {
    value
        .pointer(pointer)
        .unwrap_or_else(|| panic!("nothing at {pointer} in {value:#}"))
}

fn minimal(paths: Value) -> Value {
    json!({
        "swagger": "2.0",
        "info": {"title": "t", "version": "1"},
        "host": "api.example.com",
        "schemes": ["https"],
        "paths": paths,
    })
}

#[test]
fn host_base_path_and_schemes_become_servers_https_first() {
    let mut document = minimal(json!({}));
    document["basePath"] = json!("/v2/");
    document["schemes"] = json!(["http", "https"]);
    let c = converted(document);
    assert_eq!(
        at(&c.document, "/servers"),
        &json!([{"url": "https://api.example.com/v2"}, {"url": "http://api.example.com/v2"}])
    );
    assert!(c.warnings.is_empty(), "{:?}", warnings(&c));
}

#[test]
fn missing_schemes_and_host_are_said() {
    let mut document = minimal(json!({}));
    document.as_object_mut().map(|o| o.remove("schemes"));
    let c = converted(document.clone());
    assert_eq!(
        at(&c.document, "/servers/0/url"),
        &json!("https://api.example.com")
    );
    assert_eq!(
        warnings(&c),
        ["#/schemes: no http or https scheme: https is assumed"]
    );

    document.as_object_mut().map(|o| o.remove("host"));
    document["basePath"] = json!("/api");
    let c = converted(document);
    assert_eq!(at(&c.document, "/servers"), &json!([{"url": "/api"}]));
    assert!(warnings(&c)[0].starts_with("#/basePath: no `host`"));
}

#[test]
fn definitions_become_component_schemas_with_their_refs() {
    let mut document = minimal(json!({}));
    document["definitions"] = json!({
        "Pet": {
            "type": "object",
            "discriminator": "kind",
            "required": ["kind"],
            "properties": {
                "kind": {"type": "string"},
                "owner": {"$ref": "#/definitions/Person", "x-nullable": true, "description": "who"},
                "nick": {"type": "string", "x-nullable": true},
                "photo": {"type": "file"},
                "tags": {"type": "array", "items": {"$ref": "#/definitions/Tag"}},
                "age": {"type": "integer", "required": true},
            },
        },
        "Person": {"type": "object"},
        "Tag": {"type": "string"},
    });
    let c = converted(document);
    let pet = at(&c.document, "/components/schemas/Pet");
    assert_eq!(pet["discriminator"], json!({"propertyName": "kind"}));
    assert_eq!(pet["required"], json!(["kind", "age"]));
    assert_eq!(
        pet["properties"]["owner"],
        json!({"allOf": [{"$ref": "#/components/schemas/Person"}], "nullable": true, "description": "who"})
    );
    assert_eq!(
        pet["properties"]["nick"],
        json!({"type": "string", "nullable": true})
    );
    assert_eq!(
        pet["properties"]["photo"],
        json!({"type": "string", "format": "binary"})
    );
    assert_eq!(
        pet["properties"]["tags"]["items"],
        json!({"$ref": "#/components/schemas/Tag"})
    );
    assert_eq!(
        warnings(&c),
        [
            "#/definitions/Pet/properties/age/required: `required` belongs in the parent's list of property names: moved there"
        ]
    );
}

#[test]
fn a_body_parameter_becomes_the_request_body_in_each_consumed_media_type() {
    let mut document = minimal(json!({
        "/pets": {
            "post": {
                "parameters": [
                    {"name": "dry", "in": "query", "type": "boolean"},
                    {"name": "pet", "in": "body", "required": true, "description": "the pet",
                     "schema": {"$ref": "#/definitions/Pet"}},
                ],
                "responses": {"204": {"description": "done"}},
            },
            "put": {
                "consumes": ["application/merge-patch+json"],
                "parameters": [{"name": "pet", "in": "body", "schema": {"type": "object"}}],
                "responses": {"204": {"description": "done"}},
            },
        },
    }));
    document["definitions"] = json!({"Pet": {"type": "object"}});
    document["consumes"] = json!(["application/json", "application/xml"]);
    let c = converted(document);
    assert_eq!(
        at(&c.document, "/paths/~1pets/post/requestBody"),
        &json!({
            "description": "the pet",
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/Pet"}},
                "application/xml": {"schema": {"$ref": "#/components/schemas/Pet"}},
            },
            "required": true,
        })
    );
    assert_eq!(
        at(&c.document, "/paths/~1pets/post/parameters"),
        &json!([{"name": "dry", "in": "query", "schema": {"type": "boolean"}}])
    );
    assert_eq!(
        at(&c.document, "/paths/~1pets/put/requestBody/content"),
        &json!({"application/merge-patch+json": {"schema": {"type": "object"}}})
    );
    // Places that moved are reported where the author wrote them.
    let sources = &c.sources;
    let original = |p: &str| {
        sources
            .original(&Pointer::from_ref(p).expect("a pointer"))
            .to_string()
    };
    assert_eq!(
        original("#/paths/~1pets/post/requestBody/content/application~1xml/schema"),
        "#/paths/~1pets/post/parameters/1/schema"
    );
    assert_eq!(
        original("#/paths/~1pets/post/parameters/0/schema"),
        "#/paths/~1pets/post/parameters/0"
    );
}

#[test]
fn form_parameters_become_a_form_or_multipart_body() {
    let c = converted(minimal(json!({
        "/pets/{id}": {
            "parameters": [{"name": "id", "in": "path", "type": "integer"}],
            "post": {
                "parameters": [
                    {"name": "name", "in": "formData", "type": "string", "required": true},
                    {"name": "tags", "in": "formData", "type": "array", "items": {"type": "string"}},
                ],
                "responses": {"204": {"description": "done"}},
            },
            "put": {
                "consumes": ["multipart/form-data"],
                "parameters": [
                    {"name": "photo", "in": "formData", "type": "file", "description": "a photo"},
                ],
                "responses": {"204": {"description": "done"}},
            },
        },
    })));
    assert_eq!(
        at(&c.document, "/paths/~1pets~1{id}/post/requestBody"),
        &json!({
            "content": {"application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "name": {"type": "string"},
                        "tags": {"type": "array", "items": {"type": "string"}},
                    },
                    "required": ["name"],
                },
                // csv, Swagger's default, is not 3.0's default for forms.
                "encoding": {"tags": {"explode": false}},
            }},
            "required": true,
        })
    );
    assert_eq!(
        at(&c.document, "/paths/~1pets~1{id}/put/requestBody/content"),
        &json!({"multipart/form-data": {"schema": {
            "type": "object",
            "properties": {"photo": {"type": "string", "format": "binary", "description": "a photo"}},
        }}})
    );
    assert_eq!(
        at(&c.document, "/paths/~1pets~1{id}/parameters/0"),
        &json!({"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}})
    );
}

#[test]
fn collection_formats_become_styles() {
    let c = converted(minimal(json!({
        "/a": {"get": {
            "parameters": [
                {"name": "csv", "in": "query", "type": "array", "items": {"type": "string"}},
                {"name": "multi", "in": "query", "type": "array", "items": {"type": "string"}, "collectionFormat": "multi"},
                {"name": "pipes", "in": "query", "type": "array", "items": {"type": "integer"}, "collectionFormat": "pipes"},
                {"name": "ssv", "in": "query", "type": "array", "items": {"type": "integer"}, "collectionFormat": "ssv"},
                {"name": "X-Ids", "in": "header", "type": "array", "items": {"type": "string"}, "collectionFormat": "pipes"},
            ],
            "responses": {"204": {"description": "done"}},
        }},
    })));
    let parameters = at(&c.document, "/paths/~1a/get/parameters");
    let styles: Vec<(Value, Value)> = parameters
        .as_array()
        .expect("a list")
        .iter()
        .map(|p| (p["style"].clone(), p["explode"].clone()))
        .collect();
    // Only what differs from 3.0's defaults (form and exploded in a query) is written.
    assert_eq!(
        styles,
        [
            (Value::Null, json!(false)),
            (Value::Null, Value::Null),
            (json!("pipeDelimited"), json!(false)),
            (json!("spaceDelimited"), json!(false)),
            (Value::Null, Value::Null),
        ]
    );
    assert_eq!(
        warnings(&c),
        [
            "#/paths/~1a/get/parameters/4/collectionFormat: collectionFormat 'pipes' has no OpenAPI 3.0 form in a header: sent comma-separated"
        ]
    );
}

#[test]
fn responses_take_produces_examples_and_headers() {
    let mut document = minimal(json!({
        "/a": {"get": {
            "produces": ["application/json", "application/xml"],
            "responses": {
                "200": {
                    "description": "ok",
                    "schema": {"type": "array", "items": {"$ref": "#/definitions/A"}},
                    "headers": {"X-Rate": {"type": "integer", "description": "left"}},
                    "examples": {"application/json": [{"id": 1}]},
                },
                "404": {"$ref": "#/responses/NotFound"},
            },
        }},
        "/file": {"get": {
            "produces": ["application/pdf"],
            "responses": {"200": {"description": "a file", "schema": {"type": "file"}}},
        }},
    }));
    document["definitions"] = json!({"A": {"type": "object"}});
    document["responses"] =
        json!({"NotFound": {"description": "gone", "schema": {"$ref": "#/definitions/A"}}});
    let c = converted(document);
    let ok = at(&c.document, "/paths/~1a/get/responses/200");
    assert_eq!(
        ok["content"]["application/json"],
        json!({"schema": {"type": "array", "items": {"$ref": "#/components/schemas/A"}}, "example": [{"id": 1}]})
    );
    assert!(ok["content"]["application/xml"]["schema"].is_object());
    assert_eq!(
        ok["headers"]["X-Rate"],
        json!({"description": "left", "schema": {"type": "integer"}})
    );
    assert_eq!(
        at(&c.document, "/paths/~1a/get/responses/404"),
        &json!({"$ref": "#/components/responses/NotFound"})
    );
    // Global responses have no `produces` of their own here: JSON, said once.
    assert_eq!(
        at(
            &c.document,
            "/components/responses/NotFound/content/application~1json/schema"
        ),
        &json!({"$ref": "#/components/schemas/A"})
    );
    assert_eq!(
        at(&c.document, "/paths/~1file/get/responses/200/content"),
        &json!({"application/pdf": {"schema": {"type": "string", "format": "binary"}}})
    );
    assert_eq!(
        warnings(&c),
        ["#: no `produces`: response bodies are taken as application/json"]
    );
}

#[test]
fn security_definitions_become_security_schemes() {
    let mut document = minimal(json!({}));
    document["securityDefinitions"] = json!({
        "basic": {"type": "basic"},
        "key": {"type": "apiKey", "name": "X-Key", "in": "header"},
        "code": {"type": "oauth2", "flow": "accessCode", "authorizationUrl": "https://a/auth",
                 "tokenUrl": "https://a/token", "scopes": {"read": "read it"}},
        "app": {"type": "oauth2", "flow": "application", "tokenUrl": "https://a/token"},
        "odd": {"type": "magic"},
    });
    let c = converted(document);
    assert_eq!(
        at(&c.document, "/components/securitySchemes"),
        &json!({
            "basic": {"type": "http", "scheme": "basic"},
            "key": {"type": "apiKey", "name": "X-Key", "in": "header"},
            "code": {"type": "oauth2", "flows": {"authorizationCode": {
                "authorizationUrl": "https://a/auth", "tokenUrl": "https://a/token",
                "scopes": {"read": "read it"}}}},
            "app": {"type": "oauth2", "flows": {"clientCredentials": {
                "tokenUrl": "https://a/token", "scopes": {}}}},
        })
    );
    assert_eq!(
        warnings(&c),
        ["#/securityDefinitions/odd: not a basic, apiKey or oauth2 security definition: left out"]
    );
}

#[test]
fn global_parameters_stay_references_or_are_inlined_as_bodies() {
    let mut document = minimal(json!({
        "/a": {
            "parameters": [{"$ref": "#/parameters/Body"}],
            "post": {
                "parameters": [{"$ref": "#/parameters/Limit"}],
                "responses": {"204": {"description": "done"}},
            },
            "put": {
                // Redefines the path's body parameter.
                "parameters": [{"name": "payload", "in": "body", "schema": {"type": "string"}}],
                "responses": {"204": {"description": "done"}},
            },
        },
    }));
    document["parameters"] = json!({
        "Limit": {"name": "limit", "in": "query", "type": "integer", "maximum": 10},
        "Body": {"name": "payload", "in": "body", "schema": {"type": "object"}},
    });
    let c = converted(document);
    assert_eq!(
        at(&c.document, "/components/parameters"),
        &json!({"Limit": {"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 10}}})
    );
    assert_eq!(
        at(&c.document, "/paths/~1a/post/parameters"),
        &json!([{"$ref": "#/components/parameters/Limit"}])
    );
    assert_eq!(
        at(
            &c.document,
            "/paths/~1a/post/requestBody/content/application~1json/schema"
        ),
        &json!({"type": "object"})
    );
    assert_eq!(
        at(
            &c.document,
            "/paths/~1a/put/requestBody/content/application~1json/schema"
        ),
        &json!({"type": "string"})
    );
    assert!(c.document.pointer("/paths/~1a/parameters").is_none());
}

#[test]
fn other_versions_and_bad_locations_are_errors_at_their_place() {
    let e = convert(&json!({"swagger": "1.2", "info": {}})).unwrap_err();
    assert_eq!(
        e.to_string(),
        "#/swagger: Swagger version \"1.2\" is not supported; only 2.0 is converted"
    );
    let e = convert(&minimal(json!({"/a": {"get": {
        "parameters": [{"name": "a", "in": "cookie", "type": "string"}],
        "responses": {},
    }}})))
    .unwrap_err();
    assert_eq!(
        e.pointer().map(Pointer::as_str),
        Some("#/paths/~1a/get/parameters/0/in")
    );
}

#[test]
fn generation_diagnostics_point_into_the_original_document() {
    let text = r##"{
  "swagger": "2.0",
  "info": {"title": "t", "version": "1"},
  "host": "example.com",
  "paths": {"/a": {"post": {
    "parameters": [
      {"name": "q", "in": "query", "type": "string"},
      {"name": "b", "in": "body", "schema": {"$ref": "#/definitions/Missing"}}
    ],
    "responses": {"204": {"description": "done"}}
  }}}
}"##;
    let e = crate::generate_from_str(text, "t.json", &crate::Settings::new("t-client", "t.json"))
        .unwrap_err();
    assert_eq!(
        e.pointer().map(Pointer::as_str),
        Some("#/paths/~1a/post/parameters/1/schema"),
        "{e}"
    );
    let fixed = text
        .replace("#/definitions/Missing", "#/definitions/Here")
        .replace(
            "\"paths\"",
            "\"definitions\": {\"Here\": {\"type\": \"object\"}}, \"paths\"",
        );
    let generated = crate::generate_from_str(
        &fixed,
        "t.json",
        &crate::Settings::new("t-client", "t.json"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let warnings: Vec<String> = generated.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        ["#/schemes: no http or https scheme: https is assumed"]
    );
}

/// Every value of a rich document replaced, one at a time, by values of every JSON kind:
/// the conversion and the generation answer, with a crate or an error, and never panic.
#[test]
fn no_input_makes_it_panic() {
    let mut document = minimal(json!({
        "/a/{id}": {
            "parameters": [{"name": "id", "in": "path", "type": "string"}],
            "post": {
                "consumes": ["multipart/form-data"],
                "produces": ["application/json"],
                "parameters": [
                    {"name": "f", "in": "formData", "type": "file"},
                    {"name": "l", "in": "query", "type": "array", "items": {"type": "integer"}, "collectionFormat": "multi"},
                    {"$ref": "#/parameters/P"},
                ],
                "responses": {
                    "200": {"description": "ok", "schema": {"$ref": "#/definitions/D"},
                            "headers": {"H": {"type": "string"}}, "examples": {"application/json": {}}},
                    "default": {"$ref": "#/responses/R"},
                },
                "security": [{"k": []}],
            },
        },
    }));
    document["definitions"] =
        json!({"D": {"type": "object", "x-nullable": true, "properties": {"a": {"type": "file"}}}});
    document["parameters"] =
        json!({"P": {"name": "b", "in": "body", "schema": {"type": "object"}}});
    document["responses"] = json!({"R": {"description": "no"}});
    document["securityDefinitions"] = json!({"k": {"type": "apiKey", "name": "k", "in": "query"}});
    let mut pointers = Vec::new();
    collect_pointers(&document, String::new(), &mut pointers);
    let replacements = [
        Value::Null,
        json!(true),
        json!(7),
        json!("x"),
        json!([]),
        json!({}),
        json!([{"$ref": "#/definitions/D"}]),
    ];
    let settings = crate::Settings::new("t-client", "t.json");
    for pointer in &pointers {
        for replacement in &replacements {
            let mut mutated = document.clone();
            if let Some(slot) = mutated.pointer_mut(pointer) {
                *slot = replacement.clone();
            }
            let text = mutated.to_string();
            let outcome = std::panic::catch_unwind(|| {
                let _ = crate::generate_from_str(&text, "t.json", &settings);
            });
            assert!(outcome.is_ok(), "panicked with {replacement} at {pointer}");
        }
    }
}

fn collect_pointers(value: &Value, here: String, out: &mut Vec<String>) {
    let children: Vec<(String, &Value)> = match value {
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| (k.replace('~', "~0").replace('/', "~1"), v))
            .collect(),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), v))
            .collect(),
        _ => Vec::new(),
    };
    for (key, child) in children {
        let pointer = format!("{here}/{key}");
        out.push(pointer.clone());
        collect_pointers(child, pointer, out);
    }
}
