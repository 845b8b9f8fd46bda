// Standard base64 (RFC 4648, with padding), for binary bytes inside JSON.

#ifndef PALIMPSEST_BASE64_H_
#define PALIMPSEST_BASE64_H_

#include <string>
#include <string_view>

namespace palimpsest {

std::string Base64Encode(std::string_view bytes);

// False on any character outside the alphabet or a malformed length.
bool Base64Decode(std::string_view text, std::string* bytes);

}  // namespace palimpsest

#endif  // PALIMPSEST_BASE64_H_
