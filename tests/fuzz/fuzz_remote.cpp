// fuzz_remote: what an inference server answers, read by the remote protocols
// (src/explain/remote_protocol.h). The first byte picks the reader; the rest is the server's
// answer: a completion, a /tokenize answer, TEI's /info and /predict, OIP metadata, a JSON or
// binary inference response, a Retry-After header, or the completion spec the Node glue builds.
#include "explain/remote_protocol.h"
#include "fuzz_support.h"

#include <stdexcept>

namespace {

namespace remote = spexlens::remote;

const remote::oip_model & fixed_model() {
    static const remote::oip_model m = remote::parse_oip_metadata(nlohmann::json::parse(
        R"({"name": "m", "versions": ["1"], "platform": "x", "inputs": [{"name": "TEXT", "datatype": "BYTES",
            "shape": [-1]}], "outputs": [{"name": "logits", "datatype": "FP32", "shape": [-1, 2]}]})"));
    return m;
}

void read_answer(uint8_t kind, const std::string & text, uint8_t knob) {
    const size_t rows = 1 + knob % 8;
    switch (kind % 8) {
    case 0: {
        remote::completion_spec spec;
        spec.prompt_template = "Q: {text} A:";
        spec.answer_ids      = {5, 7};
        spec.answer_pieces   = {" yes", " no"};
        (void)remote::parse_completion_logprobs(remote::parse_json_text(text, "fuzz", "answer"), spec);
        break;
    }
    case 1:
        (void)remote::parse_tokenize_response(remote::parse_json_text(text, "fuzz", "answer"));
        break;
    case 2: {
        const auto j = remote::parse_json_text(text, "fuzz", "answer");
        (void)remote::parse_tei_predict(j, {"a", "b"}, rows);
        (void)remote::parse_tei_info(j);
        break;
    }
    case 3: {
        const auto model = remote::parse_oip_metadata(remote::parse_json_text(text, "fuzz", "answer"));
        (void)remote::oip_infer_request(model, {"a text", ""}, rows % 2 == 0);
        (void)remote::oip_labels(model, rows);
        break;
    }
    case 4:
        (void)remote::parse_oip_infer_response(remote::parse_json_text(text, "fuzz", "answer"), fixed_model(), rows);
        break;
    case 5: {
        // The header is the text up to its first NUL; the binary part follows.
        const size_t cut    = std::min(text.find('\0'), text.size());
        const auto   header = remote::parse_json_text(std::string_view(text).substr(0, cut), "fuzz", "header");
        (void)remote::parse_oip_binary_response(header, std::string_view(text).substr(std::min(cut + 1, text.size())),
                                                fixed_model(), rows);
        break;
    }
    case 6: {
        remote::retry_input in;
        in.status      = knob < 200 ? 400 + knob % 110 : 0;  // 4xx, 5xx, or a connection error
        in.attempt     = int(rows % 10) + 1;
        in.retry_after = text;
        in.now_ms      = 1'700'000'000'000;
        in.batch_rows  = rows;
        (void)remote::decide_retry(in);
        break;
    }
    default:
        (void)remote::parse_completion_spec(remote::parse_json_text(text, "fuzz", "spec"));
        break;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t * data, size_t size) {
    if (size < 2) {
        return 0;
    }
    try {
        read_answer(data[0], fuzz::bytes(data + 2, size - 2), data[1]);
    } catch (const remote::remote_error &) {
    }
    return 0;
}
