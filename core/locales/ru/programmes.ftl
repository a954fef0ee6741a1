# Программы пособий, кроме АСП (русский). По разделу на файл в core/src/rules/programmes/.

## Рождение ребёнка (programmes/childbirth.rs)

childbirth-step-newborn = { $member } родился(лась) { $born }.
childbirth-step-order = { $member } — { $order }-й ребёнок в семье.
childbirth-step-amount = Единовременное пособие: { $coefficient } МРП × { $mrp } = { $amount }.
childbirth-flag-order-counts-all-children = Учитываются все дети матери, в том числе живущие отдельно: если это её 4-й или следующий ребёнок, пособие составляет { $later } МРП.
