// Scan: the leaf operator over a TableSource, one output partition per split.

#include <utility>

#include "helenus/cql/value_codec.h"
#include "helenus/exec/table_source.h"

namespace helenus::exec {
namespace {

std::string_view OpText(ScanPredicate::Op op) {
  switch (op) {
    case ScanPredicate::Op::kEq:
      return "=";
    case ScanPredicate::Op::kIn:
      return "IN";
    case ScanPredicate::Op::kLt:
      return "<";
    case ScanPredicate::Op::kLe:
      return "<=";
    case ScanPredicate::Op::kGt:
      return ">";
    case ScanPredicate::Op::kGe:
      return ">=";
  }
  return "?";
}

class ScanOp : public Operator {
 public:
  ScanOp(std::shared_ptr<TableSource> source, ScanRequest request)
      : source_(std::move(source)), request_(std::move(request)) {
    const Schema& all = source_->schema();
    if (request_.columns.empty()) {
      schema_ = all;
    } else {
      for (const auto& name : request_.columns)
        schema_.fields.push_back(all.fields[all.Require(name)]);
    }
    // Splits are known up front: parents size themselves by partitions().
    splits_ = source_->Splits(request_);
  }

  const Schema& schema() const override { return schema_; }
  size_t partitions() const override { return splits_.size(); }

  void Prepare(ExecContext& ctx) override {
    if (ctx.progress) ctx.progress->splits_total.fetch_add(splits_.size());
  }

  std::unique_ptr<BatchStream> Open(size_t partition, ExecContext& ctx) override {
    return source_->Scan(splits_.at(partition), request_, ctx.progress);
  }

  std::string Describe() const override {
    std::string out = "Scan " + source_->name() + " columns=[";
    for (size_t i = 0; i < schema_.fields.size(); ++i) {
      if (i) out += ", ";
      out += schema_.fields[i].name;
    }
    out += "] predicates=[";
    const Schema& all = source_->schema();
    for (size_t i = 0; i < request_.predicates.size(); ++i) {
      const ScanPredicate& p = request_.predicates[i];
      if (i) out += ", ";
      const int at = all.Find(p.column);
      const DataType type = at >= 0 ? all.fields[at].type : DataType::Of(TypeKind::kBigint);
      auto literal = [&](const Value& v) { return v ? cql::ToLiteral(type, *v) : "null"; };
      out += p.column + " " + std::string(OpText(p.op));
      if (p.op == ScanPredicate::Op::kIn) {
        out += " (";
        for (size_t j = 0; j < p.values.size(); ++j) out += (j ? ", " : "") + literal(p.values[j]);
        out += ")";
      } else {
        out += " " + (p.values.empty() ? std::string("?") : literal(p.values[0]));
      }
    }
    out += "] splits=" + std::to_string(splits_.size());
    return out;
  }

  std::vector<std::shared_ptr<Operator>> children() const override { return {}; }

 private:
  std::shared_ptr<TableSource> source_;
  ScanRequest request_;
  Schema schema_;
  std::vector<Split> splits_;
};

}  // namespace

OperatorPtr MakeScan(std::shared_ptr<TableSource> source, ScanRequest request) {
  return std::make_shared<ScanOp>(std::move(source), std::move(request));
}

}  // namespace helenus::exec
