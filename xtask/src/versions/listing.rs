//! Every type of a generated crate on a line or a few, as a user of the crate sees it:
//! its name, and its fields (with their Rust types) or its variants.

use generator::model::{Api, TypeKind};
use generator::surface::type_name;
use std::fmt::Write as _;

pub fn types(api: &Api) -> String {
    let mut out = String::new();
    let mut types: Vec<_> = api.types.iter().collect();
    types.sort_by(|a, b| a.name.cmp(&b.name));
    for ty in types {
        let _ = match &ty.kind {
            TypeKind::Struct(s) => {
                let _ = writeln!(out, "struct {}", ty.name);
                for field in &s.fields {
                    let _ = writeln!(
                        out,
                        "  {}: {}{}{}",
                        field.name,
                        type_name(api, &field.ty),
                        if field.required { "" } else { " (optional)" },
                        if field.nullable { " (nullable)" } else { "" },
                    );
                }
                if let Some(extra) = &s.extra {
                    let _ = writeln!(out, "  {}: extra {}", extra.name, type_name(api, &extra.ty));
                }
                Ok(())
            }
            TypeKind::Enum(variants) => writeln!(
                out,
                "enum {} {{ {} }}",
                ty.name,
                variants
                    .iter()
                    .map(|v| v.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            TypeKind::IntEnum(variants) => writeln!(
                out,
                "enum {} {{ {} }}",
                ty.name,
                variants
                    .iter()
                    .map(|v| v.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            TypeKind::Untagged(variants) => writeln!(
                out,
                "union {} {{ {} }}",
                ty.name,
                variants
                    .iter()
                    .map(|v| format!("{}({})", v.name, type_name(api, &v.ty)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            TypeKind::Tagged { property, variants } => writeln!(
                out,
                "union {} by {property} {{ {} }}",
                ty.name,
                variants
                    .iter()
                    .map(|v| format!("{}={}", v.tag, type_name(api, &v.ty)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            TypeKind::Alias(target) => {
                writeln!(out, "type {} = {}", ty.name, type_name(api, target))
            }
            TypeKind::Newtype(target) => {
                writeln!(out, "struct {}({})", ty.name, type_name(api, target))
            }
        };
    }
    out
}
