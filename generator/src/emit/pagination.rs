//! `pages()`, `items()` and the `Paginated` impl of request builders whose operation
//! declares `x-pagination`.

use super::type_tokens;
use super::types::Scope;
use crate::model::{Api, FieldPath, Operation, PageStyle, Pagination, TypeRef};
use crate::naming::ident;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// Methods inside the builder's `impl`.
pub fn methods(op: &Operation) -> Option<TokenStream> {
    op.pagination.as_ref()?;
    Some(quote! {
        /// Every page, starting with the one this request asks for: call
        /// `.next().await` until it returns `None`.
        pub fn pages(self) -> crate::Pages<Self> {
            crate::Pages::new(self)
        }

        /// Every item of every page, fetching pages as needed: call `.next().await` until
        /// it returns `None`.
        pub fn items(self) -> crate::Items<Self> {
            crate::Items::new(self)
        }
    })
}

/// `impl crate::Paginated for Builder<'_>`.
pub fn paginated_impl(api: &Api, op: &Operation) -> Option<TokenStream> {
    let pagination = op.pagination.as_ref()?;
    let builder = format_ident!("{}", op.builder_name);
    let page = match &op.response {
        crate::model::Success::Single(crate::model::ResponseBody::Json(ty)) => {
            type_tokens(api, ty, Scope::Crate)
        }
        _ => return None,
    };
    let item = type_tokens(api, &pagination.item_type, Scope::Crate);
    let next_request = next_request(pagination);
    let items = owned(&pagination.items, quote!(page));
    Some(quote! {
        impl crate::Paginated for #builder<'_> {
            type Page = #page;
            type Item = #item;

            fn fetch(self) -> impl std::future::Future<Output = Result<crate::Response<Self::Page>, crate::Error>> {
                self.send()
            }

            fn next_request(&self, page: &Self::Page) -> Option<Self> {
                #next_request
            }

            fn into_items(page: Self::Page) -> Vec<Self::Item> {
                #items
            }
        }
    })
}

fn next_request(pagination: &Pagination) -> TokenStream {
    match &pagination.style {
        PageStyle::Cursor {
            param,
            to_string,
            next,
        } => {
            let param = ident(param);
            let next = match (borrowed(next, quote!(page)), *to_string) {
                (Found::Option(cursor), false) => quote!(#cursor.cloned()),
                (Found::Option(cursor), true) => quote!(#cursor.map(ToString::to_string)),
                (Found::Place(cursor), false) => quote!(Some(#cursor.clone())),
                (Found::Place(cursor), true) => quote!(Some(#cursor.to_string())),
            };
            quote! {
                let cursor = crate::pagination::next_cursor(self.#param.as_ref(), #next)?;
                Some(Self { #param: Some(cursor), ..self.clone() })
            }
        }
        PageStyle::Offset {
            param,
            param_type,
            start,
            total,
        } => {
            let param = ident(param);
            let start = proc_macro2::Literal::i64_unsuffixed(*start);
            let current = match param_type {
                TypeRef::I32 => quote!(self.#param.map_or(#start, i64::from)),
                _ => quote!(self.#param.unwrap_or(#start)),
            };
            let count = match borrowed(&pagination.items, quote!(page)) {
                Found::Option(items) => quote!(#items.map_or(0, Vec::len)),
                Found::Place(items) => quote!(#items.len()),
            };
            let total = match total {
                None => quote!(None),
                Some((path, ty)) => match (borrowed(path, quote!(page)), ty) {
                    (Found::Option(total), TypeRef::I32) => quote!(#total.copied().map(i64::from)),
                    (Found::Option(total), _) => quote!(#total.copied()),
                    (Found::Place(total), TypeRef::I32) => quote!(Some(i64::from(#total))),
                    (Found::Place(total), _) => quote!(Some(#total)),
                },
            };
            let next = match param_type {
                TypeRef::I32 => quote!(i32::try_from(next).ok()?),
                _ => quote!(next),
            };
            quote! {
                let next = crate::pagination::next_offset(#current, #count, #start, #total)?;
                Some(Self { #param: Some(#next), ..self.clone() })
            }
        }
    }
}

/// A value reached by field accesses: the place itself, or an `Option<&T>` once an
/// optional field is on the way.
enum Found {
    Place(TokenStream),
    Option(TokenStream),
}

fn borrowed(path: &FieldPath, root: TokenStream) -> Found {
    let mut expr = root;
    let mut optional = false;
    for step in &path.steps {
        let field = ident(&step.field);
        expr = match (optional, step.optional) {
            (false, false) => quote!(#expr.#field),
            (false, true) => {
                optional = true;
                quote!(#expr.#field.as_ref())
            }
            (true, false) => quote!(#expr.map(|value| &value.#field)),
            (true, true) => quote!(#expr.and_then(|value| value.#field.as_ref())),
        };
    }
    if optional {
        Found::Option(expr)
    } else {
        Found::Place(expr)
    }
}

/// An owned expression of the value at `path`, moving out of `root`; an absent list is
/// empty.
fn owned(path: &FieldPath, root: TokenStream) -> TokenStream {
    let mut expr = root;
    let mut optional = false;
    for step in &path.steps {
        let field = ident(&step.field);
        let deref = step.boxed.then(|| quote!(*));
        expr = match (optional, step.optional) {
            (false, _) => {
                optional = step.optional;
                quote!(#expr.#field)
            }
            (true, false) => quote!(#expr.map(|value| #deref value.#field)),
            (true, true) => quote!(#expr.and_then(|value| value.#field)),
        };
    }
    if optional {
        quote!(#expr.unwrap_or_default())
    } else {
        expr
    }
}
